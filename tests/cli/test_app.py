import subprocess
import sys

from menage.cli._app import cli


def test_help_lists_commands(menage):
    result = menage("--help")
    assert result.exit_code == 0
    for name in cli.commands:
        assert name in result.stdout


def test_commands_have_help():
    for command in cli.commands.values():
        assert command.help, f"{command.name} has no help"


def test_commands_are_documented_in_readme():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for name in cli.commands:
        assert f"`menage {name}" in readme, f"menage {name} is not in the README"


def test_help_is_french_by_default():
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    out = subprocess.run(
        [sys.executable, "-m", "menage", "--help"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0
    assert "Utilisation" in out.stdout


def test_help_imports_nothing_heavy():
    code = (
        "import sys; from menage.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('babel', 'jinja2', 'sqlite3', 'xxhash', 'rich.progress', "
        "'django', 'PIL', 'numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
