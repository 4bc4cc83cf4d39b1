"""What the commands share: exit statuses, the parser class, argument types, the device check."""

from __future__ import annotations

import argparse

from gantheory.errors import UsageError

EXIT_FAILED = 1
EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D102  (argparse prints usage on 2 lines)
        raise UsageError(message)

def positive(text: str) -> int:
    """An integer >= 1 (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1; got {value}")
    return value


def positive_float(text: str) -> float:
    """A finite number > 0 (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text}")
    return value


# The models of gantheory.images.trainer.MODELS (kept here so that building the parser does
# not import torch; a test checks that the two agree).
def check_device(device: str) -> None:
    """Refuse a device string torch cannot parse, or CUDA where there is none."""
    if device == "cpu":
        return
    import torch

    try:
        parsed = torch.device(device)
    except RuntimeError as exc:
        raise UsageError(f"--device {device!r} is not a torch device") from exc
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise UsageError(f"--device {device!r}: CUDA is not available here")


