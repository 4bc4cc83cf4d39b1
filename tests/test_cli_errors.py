"""The command line's error policy: bad input is one line and status 2, a bug is a traceback."""

import subprocess
import sys

import pytest

from gantheory import cli
from gantheory.errors import UsageError


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "gantheory", *args], capture_output=True,
                          text=True, timeout=300)


def test_a_bug_in_the_package_is_a_traceback_and_status_1(monkeypatch):
    from gantheory import figures

    def broken(*args, **kwargs):
        raise TypeError("an injected bug")

    monkeypatch.setattr(figures, "make", broken)
    with pytest.raises(TypeError, match="an injected bug"):
        cli.main(["figures", "--only", "jsd-separation", "--out", "unused", "--quiet"])


def test_a_bug_run_as_a_command_exits_1_with_its_traceback():
    code = ("import sys\nfrom gantheory import cli, figures\n"
            "def broken(*args, **kwargs):\n    raise TypeError('an injected bug')\n"
            "figures.make = broken\n"
            "sys.exit(cli.main(['figures', '--only', 'jsd-separation', '--quiet']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "TypeError: an injected bug" in proc.stderr


def test_usage_error_is_one_line_and_status_2(capsys):
    assert cli.main(["verify", "--only", "gibbs", "gibbs"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'gibbs' is given twice" in err


@pytest.mark.parametrize("argv, fragment", [
    (["verify", "--list", "--json"], "--list cannot be combined with --json"),
    (["verify", "--only", "no-such"], "unknown theorem 'no-such'"),
    (["figures", "--only", "jsd-separation", "jsd-separation"], "given twice"),
    (["figures", "--list", "--only", "jsd-separation"], "--list cannot be combined"),
    (["figures", "--only", "jsd-separation", "--out", ""], "--out must name a folder"),
])
def test_meaningless_combinations_are_refused(argv, fragment, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1


def test_debug_shows_the_traceback_of_a_usage_error(monkeypatch):
    with pytest.raises(UsageError, match="given twice"):
        cli.main(["--debug", "verify", "--only", "gibbs", "gibbs"])
    monkeypatch.setenv("GANTHEORY_DEBUG", "1")
    with pytest.raises(UsageError):
        cli.main(["verify", "--only", "gibbs", "gibbs"])


def test_debug_in_a_real_process_prints_the_traceback():
    proc = run_cli("--debug", "verify", "--only", "nope")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "UsageError" in proc.stderr


def test_help_and_the_image_registry_do_not_import_torch():
    code = ("import sys\nimport gantheory.images.registry\nfrom gantheory import cli\n"
            "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
