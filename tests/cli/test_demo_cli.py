"""`menage demo-data --force` replaces a sample folder, and nothing else."""

from __future__ import annotations


def test_force_replaces_a_sample(menage, tmp_path):
    sample = tmp_path / "sample"
    assert menage("demo-data", sample).exit_code == 0
    (sample / "Documents" / "added.txt").write_text("x")
    assert menage("demo-data", sample, "--force").exit_code == 0
    assert not (sample / "Documents" / "added.txt").exists()


def test_force_never_empties_a_folder_that_is_not_a_sample(menage, tmp_path):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / ".bashrc").write_text("precious")
    result = menage("demo-data", home, "--force")
    assert result.exit_code == 1
    assert ".bashrc, which no sample folder has" in result.stderr
    assert (home / ".bashrc").read_text() == "precious"
