"""The playground of a Tool in a real JupyterLab: pick a method, fill its arguments form, run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_jupyterlab import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WAIT_MS, lab  # noqa: F401

pytestmark = pytest.mark.browser

WEATHER = '''%%tool weather --no-editors
class Tools:
    def get_weather(self, city: str, days: int = 1) -> dict:
        """
        Get the weather for a city.

        :param city: the city name
        :param days: how many days
        """
        return {"city": city, "days": days, "sky": "clear"}

    def get_time(self, zone: str = "UTC") -> str:
        """
        The local time.

        :param zone: the time zone
        """
        return f"12:00 in {zone}"
'''


def _notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("%load_ext actionkit"),
        nbformat.v4.new_code_cell(WEATHER),
        nbformat.v4.new_code_cell(
            'import actionkit\npg = actionkit.playground("weather", method="get_time")\npg'
        ),
    ]
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def tool_page(lab: dict[str, Any]) -> Iterator[Any]:  # noqa: F811
    from playwright.sync_api import sync_playwright

    _notebook(lab["root"] / "work" / "tools.ipynb")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1500, "height": 1300})
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{lab['url']}/lab/tree/tools.ipynb")
        tab.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel; return k && k.status === 'idle'; }"
        )
        tab.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            yield tab
        finally:
            tab.screenshot(path=str(ARTIFACTS / "browser-tool-final.png"), full_page=True)
            browser.close()


def test_a_method_picked_and_its_arguments_typed_in_run_as_the_models_call(tool_page: Any) -> None:
    playground = tool_page.locator(".actionkit-playground")
    view = playground.locator(".actionkit-view")
    view.get_by_text("12:00 in UTC").first.wait_for()
    playground.locator("select").first.select_option("get_weather")
    form = playground.locator(".actionkit-tool-arguments")
    form.get_by_text("get_weather").first.wait_for()
    city = form.locator(".actionkit-field-city input").first
    city.fill("Oslo")
    city.press("Enter")
    playground.locator(".actionkit-run").first.click()
    view.get_by_text("get_weather").first.wait_for()
    tool_page.wait_for_function(
        "(el) => el.innerText.includes('Oslo') && el.innerText.includes('clear')",
        arg=view.element_handle(),
    )
    assert "completed" in view.inner_text()
    playground.screenshot(path=str(ARTIFACTS / "browser-tool-playground.png"))
