"""Run imagededup's PHash on a folder, in imagededup's own venv; print JSON on stdout.

    python photos_imagededup.py FOLDER THRESHOLD

imagededup's package imports PyTorch at import time (for its CNN method), and PyTorch
from PyPI is the CUDA build, which does not import without NVIDIA's libraries; the
CPU-only build lives on download.pytorch.org, which is not reachable here. PHash never
touches PyTorch, so a stand-in module lets the package import: the hashing, the
search and the file reading measured are imagededup's own code, unchanged.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import time
import types
from typing import Any


class _AnyMeta(type):
    def __getattr__(cls, name: str) -> Any:
        return _Any

    def __getitem__(cls, item: Any) -> Any:
        return _Any


class _Any(metaclass=_AnyMeta):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


class _StandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name.split(".")[0] in ("torch", "torchvision"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda name: _Any  # type: ignore[method-assign]
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def main() -> None:
    folder, threshold = sys.argv[1], int(sys.argv[2])
    sys.meta_path.insert(0, _StandIn())
    import logging

    logging.disable(logging.CRITICAL)
    from imagededup.methods import PHash  # type: ignore[import-not-found]

    start = time.perf_counter()
    found = PHash(verbose=False).find_duplicates(image_dir=folder, max_distance_threshold=threshold)
    seconds = time.perf_counter() - start
    json.dump({"seconds": seconds, "duplicates": found}, sys.stdout)


if __name__ == "__main__":
    main()
