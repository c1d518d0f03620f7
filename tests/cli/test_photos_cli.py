import json
import os

from bs4 import BeautifulSoup
from click.testing import CliRunner
from PIL import Image

from menage.cli._app import cli
from tests.photos.images import exif, save, scene


def make_folder(root):
    save(
        scene(1).resize((960, 720)), root / "IMG_1.jpg", exif=exif("2024:01:01 10:00:00", make="C")
    )
    save(scene(1), root / "IMG_1-copie.jpg", quality=50)
    save(scene(2), root / "IMG_2.jpg")
    save(scene(3).resize((1080, 2400)), root / "Screenshot_1.png")
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    return root


def run(args, tmp_path, lang="en"):
    from menage import i18n

    i18n.setup(lang)
    try:
        return CliRunner().invoke(cli, args, env={"MENAGE_HOME": str(tmp_path / "home")})
    finally:
        i18n.setup("en")


def test_json_output_and_exit_code(tmp_path):
    folder = make_folder(tmp_path / "DCIM")
    result = run(["photos", str(folder), "--json", "--workers", "1"], tmp_path)
    assert result.exit_code == 3, result.output  # one photo skipped
    data = json.loads(result.stdout)
    [group] = data["similar"]["groups"]
    assert os.path.basename(group["best"]) == "IMG_1.jpg"
    assert [e["reason"] for e in data["errors"]] == ["corrupt"]
    assert (folder / "broken.jpg").exists()
    again = json.loads(run(["photos", str(folder), "--json"], tmp_path).stdout)
    assert (again["decoded"], again["from_cache"]) == (0, 4)


def test_html_report_marks_the_best_shot(tmp_path):
    folder = make_folder(tmp_path / "DCIM")
    report = tmp_path / "out" / "photos.html"
    report.parent.mkdir()
    result = run(["photos", str(folder), "--html", str(report)], tmp_path, lang="fr")
    assert result.exit_code == 3
    # the folder is a copied DCIM: its cleanup frees nothing on the phone, said plainly
    assert "rien sur le téléphone" in " ".join(result.stdout.split())
    soup = BeautifulSoup(report.read_text(), "html.parser")
    html, alert = soup.find("html"), soup.select_one(".alert")
    assert html is not None and html.get("lang") == "fr"
    best = soup.select("ul.thumbs li.best")
    assert len(best) == 1 and "IMG_1.jpg" in best[0].get_text()
    img = best[0].find("img")
    assert img is not None and str(img.get("src")).startswith("data:image/jpeg;base64,")
    assert alert is not None and "copie du dossier DCIM" in alert.get_text()


def test_missing_folder_is_one_line(tmp_path):
    result = run(["photos", str(tmp_path / "nope")], tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "nope" in result.output


def test_help_is_reachable(tmp_path):
    result = run(["photos", "--help"], tmp_path)
    assert result.exit_code == 0 and "DCIM" in result.output
    assert Image  # PIL is importable in the test process
