"""The gallery's order: the order of :data:`gantheory.figures.FIGURES` (by topic), not the alphabet.

sphinx-gallery takes the class by name (``within_subsection_order =
"gallery_order.RegistryOrder"``), so the configuration stays picklable.
"""

from __future__ import annotations


class RegistryOrder:
    """Sort key of gallery scripts: registry position first, then file name for the others."""

    def __init__(self, src_dir: str) -> None:
        from gantheory.figures import FIGURES

        self.src_dir = src_dir
        self.position = {spec.demo: i for i, spec in enumerate(FIGURES.values())}

    def __call__(self, filename: str) -> tuple[int, str]:
        """``(position in the registry, file name)``; scripts of no figure come last."""
        return self.position.get(filename, len(self.position)), filename

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
