"""What the journey tests share: a `Driver` that works a page with the mouse or with the keyboard
only, checks every new page with axe-core at phone and desktop widths, and saves screenshots.

Locators go by role and by the words people see. Words that belong to pages still being reworded
(the dashboards) are kept in `Words` below, so a change of wording is one edit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = 360
DESKTOP = 1280
# The most Tab presses to reach one control: a long form page has about a hundred.
MAX_TABS = 400


class Words:
    """Visible words the journeys look for, in one place (dashboards are being reworded)."""

    # Patient dashboard
    questionnaire_link = re.compile(r"questionnaire", re.I)
    read_safety = re.compile(r"read the safety messages", re.I)
    protected_until = re.compile(r"blocks the effect of opioids until|protected until", re.I)
    book_session = re.compile(r"^book a session$", re.I)
    # Supervisor
    witnessed_for = re.compile(r"^taken, witnessed", re.I)
    raise_concern = re.compile(r"^raise a concern$", re.I)
    witnessed_button = re.compile(r"watched|witnessed", re.I)
    dose_recorded = re.compile(r"recorded\. thank you|dose recorded for", re.I)
    # Clinician
    urgent_panel = re.compile(r"urgent", re.I)


def focus_is_visible(page: Any) -> bool:
    """The focused element shows a focus ring (an outline of 2px or more, or a shadow)."""
    return bool(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return false;
              const s = getComputedStyle(el);
              const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
              return outline || s.boxShadow !== 'none';
            }"""
        )
    )


@dataclass
class Driver:
    """Works one page as a person would: `keyboard=True` reaches every control with Tab and uses
    it with Enter, Space (and the arrow keys inside a group of radio buttons, as the platform
    expects), never the mouse. With `axe=True` every page seen for the first time is checked
    with axe-core at phone and desktop widths."""

    page: Any
    base_url: str
    keyboard: bool = False
    axe: bool = True
    width: int = DESKTOP
    checked: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    unfocused: list[str] = field(default_factory=list)
    _axe: Axe = field(default_factory=Axe)

    # --- Navigation and checks ----------------------------------------------------------------

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.page_seen()

    def path(self) -> str:
        return str(self.page.url).removeprefix(self.base_url)

    def page_seen(self) -> None:
        """Check a page with axe the first time its address (numbers ignored) is seen."""
        self.page.wait_for_load_state()
        if not self.axe:
            return
        key = re.sub(r"\d+", "N", self.path().split("?")[0]) + "|" + self.page.title()
        if key in self.checked:
            return
        self.checked.add(key)
        for width in (self.width, PHONE if self.width != PHONE else DESKTOP):
            self.page.set_viewport_size({"width": width, "height": 900})
            results = self._axe.run(self.page)
            if results.violations_count:
                self.problems.append(f"{width}px {self.path()}: {results.generate_report()}")
        self.page.set_viewport_size({"width": self.width, "height": 900})

    def assert_clean(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)
        assert not self.unfocused, f"focus was not visible on: {self.unfocused}"

    def screenshot(self, name: str, *, width: int) -> None:
        """Save docs/screenshots/<name>.png at `width` (the whole page)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        self.page.set_viewport_size({"width": self.width, "height": 900})

    @contextmanager
    def navigates(self) -> Iterator[None]:
        """Wrap an action that loads a new page; the new page is then checked."""
        with self.page.expect_navigation():
            yield
        self.page_seen()

    def nav_link(self, words: str) -> Any:
        """A link in the main navigation (one place to change if the menu changes shape). On a
        phone the list sits behind a one-line "Menu": it is opened first, as a person would."""
        nav = self.page.get_by_role("navigation", name="Main")
        menu = nav.locator("details.site-nav__menu")
        if menu.count() and menu.first.is_visible() and not menu.first.evaluate("el => el.open"):
            self.activate(menu.first.locator("summary"))
        return nav.get_by_role("link", name=words, exact=True)

    def go_home(self) -> None:
        self.follow(self.nav_link("Home"))

    def sign_in(self, email: str, password: str, *, code: str | None = None) -> None:
        """Through the real sign-in form (and the two-factor step when `code` is given)."""
        self.fill(self.page.get_by_label(re.compile(r"e-?mail", re.I)), email)
        self.fill(self.page.get_by_label("Password", exact=True), password)
        self.follow(self.page.get_by_role("button", name=re.compile("^sign in$", re.I)))
        if code is not None:
            self.fill(self.page.get_by_label(re.compile("code", re.I)), code)
            self.follow(self.page.get_by_role("button", name=re.compile("sign in|verify", re.I)))

    def confirm_password_if_asked(self, password: str) -> None:
        """Sensitive pages ask for the password again (allauth's reauthentication)."""
        if "/reauthenticate/" not in self.path():
            return
        self.fill(self.page.get_by_label("Password", exact=True), password)
        self.follow(self.page.get_by_role("button", name=re.compile("confirm", re.I)))

    # --- Keyboard -----------------------------------------------------------------------------

    def _is_focused(self, handle: Any) -> bool:
        return bool(self.page.evaluate("el => el === document.activeElement", handle))

    def tab_to(self, locator: Any) -> None:
        """Press Tab until `locator` has the focus, and check the focus can be seen."""
        handle = locator.element_handle()
        for _ in range(MAX_TABS):
            if self._is_focused(handle):
                break
            self.page.keyboard.press("Tab")
        else:
            seen = []
            for _ in range(30):
                self.page.keyboard.press("Tab")
                seen.append(self.page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
            raise AssertionError(f"Tab never reached {locator} on {self.path()}: {seen}")
        if not focus_is_visible(self.page):
            self.unfocused.append(f"{self.path()}: {handle.evaluate('el => el.outerHTML')[:120]}")

    # --- Actions ------------------------------------------------------------------------------

    def activate(self, locator: Any) -> None:
        """Follow a link or press a button (Enter on the keyboard)."""
        if self.keyboard:
            self.tab_to(locator)
            self.page.keyboard.press("Enter")
        else:
            locator.scroll_into_view_if_needed()
            locator.click()

    def follow(self, locator: Any) -> None:
        """Activate something that loads a new page."""
        with self.navigates():
            self.activate(locator)

    def fill(self, locator: Any, text: str) -> None:
        if self.keyboard:
            self.tab_to(locator)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            locator.fill(text)

    def tick(self, locator: Any) -> None:
        """Tick a checkbox (Space on the keyboard)."""
        if self.keyboard:
            self.tab_to(locator)
            if not locator.is_checked():
                self.page.keyboard.press("Space")
        else:
            locator.check()
        assert locator.is_checked()

    def choose(self, radio: Any) -> None:
        """Choose a radio button. By keyboard: Tab into its group, then arrow keys to it."""
        if not self.keyboard:
            radio.check()
            return
        name = radio.get_attribute("name")
        group = self.page.locator(f'input[type="radio"][name="{name}"]')
        # Tab stops once in a group: on its checked radio, or on its first.
        self.tab_to_any(group)
        target = radio.element_handle()
        for _ in range(group.count() + 1):
            if self._is_focused(target):
                break
            self.page.keyboard.press("ArrowDown")
        if not radio.is_checked():
            self.page.keyboard.press("Space")
        assert radio.is_checked()

    def tab_to_any(self, group: Any) -> None:
        handles = group.element_handles()
        for _ in range(MAX_TABS):
            if any(self._is_focused(h) for h in handles):
                break
            self.page.keyboard.press("Tab")
        else:
            raise AssertionError(f"Tab never reached {group} on {self.path()}")
        if not focus_is_visible(self.page):
            self.unfocused.append(f"{self.path()}: radio group {group}")

    def pick(self, select: Any, label: str) -> None:
        """Choose an option of a drop-down list by its words (arrow keys on the keyboard)."""
        if not self.keyboard:
            select.select_option(label=label)
            return
        self.tab_to(select)
        for _ in range(MAX_TABS):
            if select.evaluate("el => el.options[el.selectedIndex].text") == label:
                break
            self.page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"no option {label!r}")

    def date(self, locator: Any, iso: str) -> None:
        """Fill a date field ("YYYY-MM-DD")."""
        self._typed(locator, iso, date_part=True, time_part=False)

    def datetime(self, locator: Any, value: str) -> None:
        """Fill a date-and-time field ("YYYY-MM-DDTHH:MM")."""
        self._typed(locator, value, date_part=True, time_part=True)

    def time(self, locator: Any, hhmm: str) -> None:
        """Fill a time field ("HH:MM")."""
        self._typed(locator, hhmm, date_part=False, time_part=True)

    def _typed(self, locator: Any, value: str, *, date_part: bool, time_part: bool) -> None:
        """By keyboard, type each part in the order the browser's own language shows them
        (day and month, 12-hour clock with am/pm where it uses one), as its user would."""
        if not self.keyboard:
            locator.fill(value)
            return
        day, _, hhmm = value.partition("T") if date_part else ("", "", value)
        options: dict[str, str] = {}
        if date_part:
            options |= {"year": "numeric", "month": "2-digit", "day": "2-digit"}
        if time_part:
            options |= {"hour": "2-digit", "minute": "2-digit"}
        order = self.page.evaluate(
            "o => new Intl.DateTimeFormat(navigator.language, o)"
            ".formatToParts(new Date(2000, 10, 22, 15, 45))"
            ".filter(p => p.type !== 'literal').map(p => p.type)",
            options,
        )
        parts: dict[str, str] = {}
        if date_part:
            parts |= dict(zip(("year", "month", "day"), day.split("-"), strict=True))
        if time_part:
            hour, minute = (int(x) for x in hhmm.split(":"))
            twelve = "dayPeriod" in order
            parts |= {
                "hour": f"{(hour % 12 or 12) if twelve else hour:02d}",
                "minute": f"{minute:02d}",
                "dayPeriod": "P" if hour >= 12 else "A",
            }
        self.tab_to(locator)
        # Each part moves on to the next when full, except a year (it may have more digits):
        # Tab moves on from it, as in any date field.
        for n, part in enumerate(order):
            self.page.keyboard.type(parts[part])
            if part == "year" and n < len(order) - 1:
                self.page.keyboard.press("Tab")
        assert locator.input_value() == value, locator.input_value()

    def fill_form(self, answers: dict[str, Any]) -> None:
        """Answer a form from a dict of field name -> value (the questionnaire's data shape):
        radios and checkboxes are chosen by value, dates typed, text typed. Empty answers are
        left alone."""
        for name, value in answers.items():
            if value in (None, "", []):
                continue
            fields = self.page.locator(f'[name="{name}"]')
            kind = fields.first.get_attribute("type") or fields.first.evaluate(
                "el => el.tagName.toLowerCase()"
            )
            if kind == "radio":
                self.choose(self.page.locator(f'input[name="{name}"][value="{value}"]'))
            elif kind == "checkbox" and isinstance(value, list):
                for v in value:
                    self.tick(self.page.locator(f'input[name="{name}"][value="{v}"]'))
            elif kind == "checkbox":
                self.tick(fields.first)
            elif kind == "date":
                self.date(fields.first, str(value))
            else:
                self.fill(fields.first, str(value))
