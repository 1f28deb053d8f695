"""Typed reading of single cells, with errors that say where."""

from __future__ import annotations

from armatlas.errors import ParseError


class CellReader:
    """Parse cells of one file; every error names file, line, column and value."""

    def __init__(self, file: str) -> None:
        self.file = file

    def int_or_none(self, text: str, line: int, column: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise ParseError(
                "Expected a whole number", file=self.file, line=line, column=column, value=text,
                hint="Check that the file is an unmodified SIPRI export.",
            ) from None

    def float_or_none(self, text: str, line: int, column: str) -> float | None:
        text = text.strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise ParseError(
                "Expected a number", file=self.file, line=line, column=column, value=text,
                hint="Check that the file is an unmodified SIPRI export.",
            ) from None

    def year_list(self, text: str, line: int, column: str) -> list[int]:
        """'2018; 2019' -> [2018, 2019]."""
        years = []
        for part in text.replace(",", ";").split(";"):
            part = part.strip()
            if part:
                y = self.int_or_none(part, line, column)
                if y is not None:
                    years.append(y)
        return years

    def yes_no(self, text: str, line: int, column: str) -> bool:
        t = text.strip().lower()
        if t in ("yes", "y", "true"):
            return True
        if t in ("no", "n", "false", ""):
            return False
        raise ParseError("Expected Yes or No", file=self.file, line=line, column=column, value=text)

    def flag(self, text: str, line: int, column: str) -> bool:
        """The unnamed columns hold '?' (uncertain) or nothing."""
        t = text.strip()
        if t == "?":
            return True
        if t == "":
            return False
        raise ParseError(
            "Expected '?' or an empty uncertainty flag", file=self.file, line=line, column=column,
            value=text,
        )
