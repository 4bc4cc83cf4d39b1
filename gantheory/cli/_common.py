"""What the commands share: exit statuses, the parser class, argument types, the device check."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

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


def _number(text: str) -> float:
    """``text`` as a float, or the argparse error that says it is not a number."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number; got {text!r}") from None


def positive_float(text: str) -> float:
    """A finite number > 0 (an argparse type)."""
    value = _number(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text}")
    return value


def non_negative_float(text: str) -> float:
    """A finite number >= 0 (an argparse type)."""
    value = _number(text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0; got {text}")
    return value


def open_unit_float(text: str) -> float:
    """A number strictly between 0 and 1 (an argparse type)."""
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must lie strictly between 0 and 1; got {text}")
    return value


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




def check_names(values: Sequence[str] | None, known: Sequence[str], flag: str,
                what: str = "name") -> None:
    """Refuse an unknown or repeated ``what`` given to ``flag`` (e.g. ``--only``), naming it."""
    if values is None:
        return
    seen: set[str] = set()
    for value in values:
        if value not in known:
            raise UsageError(f"{flag}: unknown {what} {value!r}; choose from {', '.join(known)}")
        if value in seen:
            raise UsageError(f"{flag}: {value!r} is given twice")
        seen.add(value)


def refuse_together(args: argparse.Namespace, first: str, second: str) -> None:
    """Refuse two flags that mean nothing together (e.g. ``--json`` with ``--list``)."""
    if getattr(args, first.lstrip("-").replace("-", "_")) and getattr(
            args, second.lstrip("-").replace("-", "_")):
        raise UsageError(f"{first} cannot be combined with {second}")


def check_out_folder(path: str, flag: str = "--out") -> None:
    """Refuse an empty output path or one that exists and is not a folder."""
    from pathlib import Path

    if not path.strip():
        raise UsageError(f"{flag} must name a folder; got an empty string")
    if Path(path).exists() and not Path(path).is_dir():
        raise UsageError(f"{flag} {path!r} exists and is not a folder")


def check_out_file(path: str, suffix: str, overwrite: bool = False,
                   flag: str = "--out") -> None:
    """Refuse an output file path that cannot be written as asked: empty, a folder, another
    suffix, a parent that is not a folder, or an existing file without ``overwrite``.
    """
    from pathlib import Path

    if not path.strip():
        raise UsageError(f"{flag} must name a {suffix} file; got an empty string")
    file = Path(path)
    if file.is_dir():
        raise UsageError(f"{flag} {path!r} is a folder; name a {suffix} file in it, e.g. "
                         f"{str(file / ('samples' + suffix))!r}")
    if file.suffix.lower() != suffix:
        raise UsageError(f"{flag} {path!r} must end in {suffix}")
    parent = next((p for p in file.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise UsageError(f"{flag} {path!r}: {str(parent)!r} is not a folder")
    if file.exists() and not overwrite:
        raise UsageError(f"{flag} {path!r} exists; pass --overwrite to replace it or choose "
                         "another --out")
