"""Each package declares its public names, and declares all of them (httpx's test)."""

import importlib

import pytest

PACKAGES = ["menage", "menage.files", "menage.findings", "menage.mail", "menage.photos"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_imports_are_exported(name):
    package = importlib.import_module(name)
    public = sorted(
        member
        for member, value in vars(package).items()
        if not member.startswith("_")
        and not (
            hasattr(value, "__name__")
            and getattr(value, "__package__", None) is not None
            and type(value).__name__ == "module"
        )
    )
    assert package.__all__ == sorted(package.__all__)
    assert set(package.__all__) - {"__version__"} == set(public) - {"annotations"}
