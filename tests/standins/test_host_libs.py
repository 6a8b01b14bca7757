from __future__ import annotations

import importlib

from packaging.requirements import Requirement

from actionkit.function._host_libs import HOST_EXTRA, HOST_PINS, extra_for, missing_module_hint

MOST_IMPORTED = {
    "fastapi": "fastapi",
    "starlette": "starlette",
    "requests": "requests",
    "aiohttp": "aiohttp",
    "httpx": "httpx",
    "loguru": "loguru",
    "markdown": "markdown",
    "bs4": "beautifulsoup4",
    "pytz": "pytz",
    "cryptography": "cryptography",
}


def test_the_host_extra_covers_the_libraries_functions_import_most():
    names = {Requirement(spec).name for spec in HOST_EXTRA}
    assert set(MOST_IMPORTED.values()) <= names
    for module in MOST_IMPORTED:
        assert extra_for(module) == "host"
        assert extra_for(f"{module}.sub") == "host"


def test_each_host_extra_range_admits_the_version_open_webui_pins():
    for spec in HOST_EXTRA:
        requirement = Requirement(spec)
        assert requirement.specifier.contains(HOST_PINS[requirement.name]), spec


def test_the_host_libraries_are_importable_in_the_test_environment():
    for module in MOST_IMPORTED:
        importlib.import_module(module)


def test_missing_module_hints_name_the_extra_or_the_exact_pin():
    hint = missing_module_hint("bs4.element")
    assert hint is not None
    assert "pip install 'actionkit[host]'" in hint and "beautifulsoup4==4.14.3" in hint
    other = missing_module_hint("tiktoken")
    assert other is not None and "pip install tiktoken==0.13.0" in other and "actionkit[host]" not in other
    assert missing_module_hint("somethingelse") is None
    assert extra_for("tiktoken") is None
