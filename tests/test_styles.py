"""The site's stylesheets: local only, logical properties, print rules, linked from every page.

The CSS is read with a small tokenizer (comments and strings) and a block parser,
enough for the plain CSS in templates/static/; no CSS library is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, run

STATIC = REPO / "templates" / "static"
STYLESHEETS = ("style.css", "print.css")

STRING = re.compile(r""""(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""")
TOKEN = re.compile(rf"(?P<string>{STRING.pattern})|(?P<comment>/\*.*?\*/)", re.S)
EXEMPTION = re.compile(r"/\*\s*physical:\s*\S.*\*/", re.S)
PROPERTY = re.compile(r"-{0,2}[a-zA-Z][a-zA-Z0-9-]*")


# ---------- A small CSS reader ----------


@dataclass(frozen=True)
class Declaration:
    prop: str
    value: str  # without !important
    line: int
    context: tuple[str, ...]  # the preludes of the enclosing blocks, outermost first

    @property
    def selectors(self) -> list[str]:
        return split_top_level(self.context[-1], ",") if self.context else []


@dataclass(frozen=True)
class Stylesheet:
    name: str
    text: str  # comments blanked out, line breaks kept
    exempt_lines: frozenset[int]  # lines with a /* physical: reason */ comment
    declarations: tuple[Declaration, ...]

    def rules_for(self, prop: str) -> list[Declaration]:
        return [d for d in self.declarations if d.prop == prop]


def split_top_level(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside parentheses, brackets and strings."""
    parts, depth, current, i = [], 0, [], 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            end = STRING.match(text, i)
            piece = end.group(0) if end else text[i:]
            current.append(piece)
            i += len(piece)
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth == 0 and (char == separator or (separator == " " and char.isspace())):
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def read_css(css: str, name: str = "<css>") -> Stylesheet:
    exempt: set[int] = set()

    def blank(match: re.Match[str]) -> str:
        comment = match.group("comment")
        if comment is None:
            return match.group(0)
        if EXEMPTION.fullmatch(comment):
            exempt.add(css.count("\n", 0, match.start()) + 1)
        return re.sub(r"[^\n]", " ", comment)

    text = TOKEN.sub(blank, css)
    return Stylesheet(name, text, frozenset(exempt), tuple(parse_blocks(text, name)))


def parse_blocks(text: str, name: str) -> list[Declaration]:
    found: list[Declaration] = []
    stack: list[str] = []
    start = i = 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            end = STRING.match(text, i)
            i = end.end() if end else len(text)
            continue
        if char == "{":
            stack.append(" ".join(text[start:i].split()))
            start = i + 1
        elif char in ";}":
            if stack:
                declaration = parse_declaration(text, start, i, tuple(stack))
                if declaration:
                    found.append(declaration)
            if char == "}":
                if not stack:
                    raise AssertionError(f"{name}:{text.count(chr(10), 0, i) + 1}: unmatched }}")
                stack.pop()
            start = i + 1
        i += 1
    if stack:
        raise AssertionError(f"{name}: unclosed block {stack[-1]!r}")
    return found


def parse_declaration(
    text: str, start: int, end: int, context: tuple[str, ...]
) -> Declaration | None:
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped or ":" not in stripped or stripped.startswith("@"):
        return None
    prop, _, value = stripped.partition(":")
    prop = prop.strip()
    if not PROPERTY.fullmatch(prop):
        raise AssertionError(f"cannot read the declaration {stripped!r} in {context[-1]!r}")
    offset = start + len(segment) - len(segment.lstrip())
    value = re.sub(r"\s*!\s*important\s*$", "", " ".join(value.split()), flags=re.I)
    line = text.count("\n", 0, offset) + 1
    return Declaration(prop.lower(), value, line, context)


def load(name: str) -> Stylesheet:
    return read_css((STATIC / name).read_text(encoding="utf-8"), name)


@pytest.fixture(scope="module", params=STYLESHEETS)
def sheet(request: pytest.FixtureRequest) -> Stylesheet:
    return load(request.param)


# ---------- The rules, as functions (tested on samples below) ----------

EXTERNAL_URL = re.compile(r"""\b(?:url|src|image-set)\(\s*['"]?\s*(?:https?:|//)""", re.I)
PHYSICAL_PROPERTY = re.compile(
    r"(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)(?:-(?:width|style|color))?"
    r"|left|right|border-(?:top|bottom)-(?:left|right)-radius"
)
PHYSICAL_KEYWORD_PROPERTIES = frozenset({"text-align", "text-align-last", "float", "clear"})
# Four values are top, right, bottom, left: physical when right and left differ.
BOX_SHORTHANDS = frozenset(
    {
        "margin",
        "padding",
        "inset",
        "border-width",
        "border-style",
        "border-color",
        "scroll-margin",
        "scroll-padding",
    }
)


def external_resources(sheet: Stylesheet) -> list[str]:
    problems = []
    for number, line in enumerate(sheet.text.splitlines(), start=1):
        if EXTERNAL_URL.search(line):
            problems.append(f"{sheet.name}:{number}: remote url(): {line.strip()}")
        if re.search(r"@import\b", line, re.I):
            problems.append(f"{sheet.name}:{number}: @import: {line.strip()}")
        if re.search(r"@font-face\b", line, re.I):
            problems.append(f"{sheet.name}:{number}: @font-face (no web fonts): {line.strip()}")
    return problems


def is_physical(declaration: Declaration) -> bool:
    prop, value = declaration.prop, declaration.value.lower()
    if PHYSICAL_PROPERTY.fullmatch(prop):
        return True
    if prop in PHYSICAL_KEYWORD_PROPERTIES:
        return value in {"left", "right"}
    values = split_top_level(value, " ")
    if prop in BOX_SHORTHANDS and len(values) == 4:
        return values[1] != values[3]
    if prop == "border-radius":
        return len(set(split_top_level(value.split("/")[0], " "))) > 1
    return False


def physical_declarations(sheet: Stylesheet) -> list[str]:
    return [
        f"{sheet.name}:{d.line}: {d.prop}: {d.value} (in {d.context[-1]!r})"
        for d in sheet.declarations
        if is_physical(d) and d.line not in sheet.exempt_lines
    ]


def applies_to_print(declaration: Declaration) -> bool:
    """Top level of print.css (linked with media="print") or inside @media print."""
    return all(re.fullmatch(r"@media\s+print", c, re.I) for c in declaration.context[:-1])


def hidden_in_print(sheet: Stylesheet, selector: str) -> bool:
    return any(
        d.value == "none" and selector in d.selectors and applies_to_print(d)
        for d in sheet.rules_for("display")
    )


# ---------- Checks on the stylesheets ----------


def test_stylesheets_exist() -> None:
    for name in STYLESHEETS:
        assert (STATIC / name).is_file(), f"templates/static/{name} is missing"


def test_no_external_resources(sheet: Stylesheet) -> None:
    assert external_resources(sheet) == []


def test_logical_properties_only(sheet: Stylesheet) -> None:
    problems = physical_declarations(sheet)
    assert problems == [], (
        "use logical properties (margin-inline-start, inset-inline-end, text-align: start ...) "
        "or justify a physical one with /* physical: reason */ on the same line:\n"
        + "\n".join(problems)
    )


def test_the_reader_sees_the_declarations(sheet: Stylesheet) -> None:
    # Guards the parser: a stylesheet read as empty would pass every other check.
    assert len(sheet.declarations) > 50
    assert sheet.rules_for("display")


def test_print_hides_navigation_and_skip_link() -> None:
    print_css = load("print.css")
    for selector in (".language-switcher", ".skip-link"):
        assert hidden_in_print(print_css, selector), f"print.css must hide {selector}"


def test_print_writes_out_external_and_mailto_links_but_not_fragments() -> None:
    print_css = load("print.css")
    shown = [
        selector
        for d in print_css.rules_for("content")
        if "attr(href)" in d.value
        for selector in d.selectors
    ]
    assert any(s.startswith('a[href^="http') and s.endswith("::after") for s in shown), shown
    assert any(s.startswith('a[href^="mailto:"]') and s.endswith("::after") for s in shown), shown
    assert not any('href^="#"' in s or "href*=" in s for s in shown), shown


def test_print_keeps_things_together() -> None:
    print_css = load("print.css")

    def selectors_with(prop: str) -> set[str]:
        return {s for d in print_css.rules_for(prop) if d.value == "avoid" for s in d.selectors}

    inside = selectors_with("break-inside")
    after = selectors_with("break-after")
    assert {"tr", "address"} <= inside, inside
    assert {"h2", "h3"} <= after, after
    assert re.search(r"@page\b", print_css.text)
    assert not any(
        ".section-number" in d.selectors and d.value == "none"
        for d in print_css.rules_for("display")
    ), "section headings keep their numbers on paper"


def test_screen_styles_respect_user_preferences() -> None:
    style = load("style.css")
    contexts = {c for d in style.declarations for c in d.context}
    assert any(re.fullmatch(r"@media \(prefers-color-scheme: ?dark\)", c) for c in contexts)
    assert any("prefers-reduced-motion" in c for c in contexts)
    # Smooth scrolling only for those who have not asked for less motion.
    for d in style.rules_for("scroll-behavior"):
        if d.value == "smooth":
            assert "@media (prefers-reduced-motion: no-preference)" in d.context, d


def test_focus_is_visible() -> None:
    style = load("style.css")
    rings = [d for d in style.rules_for("outline") if ":focus-visible" in d.selectors]
    assert rings and all(d.value not in {"none", "0"} for d in rings), rings
    for d in style.rules_for("outline"):
        if d.value in {"none", "0"}:
            assert all(":not(:focus-visible)" in s for s in d.selectors), (
                f"style.css:{d.line}: outline removed from a focusable state: {d.context[-1]}"
            )


def test_skip_link_appears_on_focus() -> None:
    style = load("style.css")
    for d in style.declarations:
        if ".skip-link" in d.selectors:
            assert (d.prop, d.value) not in {("display", "none"), ("visibility", "hidden")}, d
    assert any(".skip-link" in s and ":focus" in s for d in style.declarations for s in d.selectors)


# ---------- Colour contrast of the palette (WCAG 2.x) ----------

TEXT_PAIRS = [
    ("--text", "--bg"),
    ("--text", "--surface"),
    ("--muted", "--bg"),
    ("--muted", "--surface"),
    ("--link", "--bg"),
    ("--link", "--surface"),
    ("--link-visited", "--bg"),
    ("--link-visited", "--surface"),
    ("--accent", "--bg"),
    ("--accent", "--surface"),
    ("--bg", "--accent"),  # the current language in the switcher
    ("--bg", "--text"),  # the skip link
]
FOCUS_PAIRS = [("--focus", "--bg"), ("--focus", "--surface")]


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * c for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette(scheme: str) -> dict[str, str]:
    style = load("style.css")
    colours = {
        d.prop: d.value
        for d in style.declarations
        if d.context == (":root",) and re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", d.value)
    }
    if scheme == "dark":
        colours.update(
            (d.prop, d.value)
            for d in style.declarations
            if len(d.context) == 2
            and re.fullmatch(r"@media \(prefers-color-scheme: ?dark\)", d.context[0])
            and d.context[1] == ":root"
        )
    return colours


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_contrast_meets_wcag_aa(scheme: str) -> None:
    colours = palette(scheme)
    failures = []
    for pairs, minimum in ((TEXT_PAIRS, 4.5), (FOCUS_PAIRS, 3.0)):
        for fg, bg in pairs:
            ratio = contrast(colours[fg], colours[bg])
            if ratio < minimum:
                failures.append(f"{fg} on {bg}: {ratio:.2f} < {minimum}")
    assert failures == [], f"{scheme} scheme: " + "; ".join(failures)


def test_contrast_formula() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# ---------- The checkers themselves, on samples ----------


def problems_in(css: str) -> list[str]:
    sheet = read_css(css, "sample.css")
    return external_resources(sheet) + physical_declarations(sheet)


@pytest.mark.parametrize(
    "css",
    [
        "a { margin-left: 1rem; }",
        "a { padding-right: 0 }",
        "a { border-left: 1px solid; }",
        "a { border-right-color: red; }",
        "a { position: absolute; left: 0; }",
        "a {\n  right: 0;\n}",
        "a { text-align: left; }",
        "a { text-align: RIGHT !important; }",
        "a { float: right; }",
        "a { margin: 0 1rem 0 2rem; }",
        "a { border-top-left-radius: 4px; }",
        "a { border-radius: 0 4px 4px 0; }",
        "@media print { a { padding-left: 1em } }",
        "@import 'local.css';",
        "@font-face { font-family: X; src: local(X); }",
        "a { background: url(https://cdn.example.com/x.png); }",
        "a { background: url( '//cdn.example.com/x.png' ); }",
        'a { background: url("http://example.com/x.png"); }',
    ],
)
def test_checkers_catch(css: str) -> None:
    assert problems_in(css) != []


@pytest.mark.parametrize(
    "css",
    [
        "a { margin-inline-start: 1rem; inset-inline-end: 0; text-align: start; }",
        "a { margin: 0 1rem 0 1rem; padding: 1rem 2rem 3rem; border-radius: 999px; }",
        "a { margin-left: 1rem; /* physical: a reason */ }",
        "/* margin-left: 1rem; url(https://x) @import */ a { color: red; }",
        'a[href^="http"]::after { content: " (" attr(href) ")"; }',
        'a::after { content: "left: 0; margin-left: 1px"; }',
        "@page :left { margin: 1cm; } a { background: url(data:image/png;base64,AAAA); }",
        "@media (min-width: 40em) { .x { inline-size: calc(100% - 2rem); } }",
    ],
)
def test_checkers_accept(css: str) -> None:
    assert problems_in(css) == []


def test_exemption_is_per_line() -> None:
    css = "a {\n  margin-left: 1rem; /* physical: icon sprite */\n  margin-right: 1rem;\n}"
    assert problems_in(css) == ["sample.css:3: margin-right: 1rem (in 'a')"]


def test_reader_knows_context_and_selectors() -> None:
    sheet = read_css("@media print {\n  .a, .b:not(.c, .d) { display: none !important; }\n}")
    [declaration] = sheet.declarations
    assert declaration.context == ("@media print", ".a, .b:not(.c, .d)")
    assert declaration.selectors == [".a", ".b:not(.c, .d)"]
    assert (declaration.prop, declaration.value, declaration.line) == ("display", "none", 2)
    assert hidden_in_print(sheet, ".a")


# ---------- The built site links both stylesheets ----------


def stylesheet_links(page: Path) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = []
    for link in soup.find_all("link"):
        if "stylesheet" in (link.get("rel") or []):
            media = link.get("media")
            links.append((str(link["href"]), None if media is None else str(media)))
    return links


def test_built_pages_link_the_stylesheets(site_factory: Callable[[str], Path]) -> None:
    site = site_factory("minimal")
    result = run(["build"], site)
    assert result.exit_code == 0, result.output
    output = site / "output"
    static = (output / "static").resolve()
    pages = sorted(output.rglob("*.html"))
    assert output / "index.html" in pages
    assert any(page.parent != output for page in pages), "no notice page was built"

    for page in pages:
        links = stylesheet_links(page)
        where = page.relative_to(output).as_posix()
        assert [Path(href).name for href, _ in links] == list(STYLESHEETS), (where, links)
        for (href, media), name in zip(links, STYLESHEETS, strict=True):
            assert not re.match(r"(?:[a-z]+:)?//", href), f"{where}: {href} is not local"
            target = (page.parent / href).resolve()
            assert target.is_file(), f"{where}: {href} does not resolve to a file"
            assert target.is_relative_to(static), f"{where}: {href} is not in output/static/"
            assert target.read_bytes() == (STATIC / name).read_bytes()
            if name == "print.css":
                assert media == "print", f"{where}: print.css needs media=print"
            else:
                assert media in (None, "all"), f"{where}: style.css must apply to print too"
