"""Value classes that compare and print like dataclasses, without building one.

Making a dataclass ``exec``s the source of each generated method, which costs about as
much as importing a small module; ``mtui add`` makes every class it imports, so the
records it (or only a rarer path) uses are written out by hand on these two bases (the
task model itself stays dataclasses: it is copied with ``dataclasses.replace``).

A subclass names its compared and printed fields, in order, in ``_fields`` (a field left
out is like ``field(compare=False, repr=False)``) and writes its own ``__init__``.
``Record`` is a dataclass's ``eq=True`` (unhashable); ``FrozenRecord`` its
``frozen=True`` (hashable, assignment raises; its ``__init__`` sets fields with
``object.__setattr__``). ``tests/unit/test_plain.py`` checks both against dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar


class FrozenRecordError(AttributeError):
    """Assignment to a field of a frozen record (as ``dataclasses.FrozenInstanceError``)."""


class Record:
    """Equality by fields (same class only), a ``Name(field=value, …)`` repr."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable and compared: as a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"


class FrozenRecord(Record):
    """A ``Record`` whose fields cannot be assigned after ``__init__``; hashable."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenRecordError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        """``copy``, ``deepcopy`` and pickle set the fields as ``__init__`` does."""
        names: tuple[str, ...] = type(self).__slots__  # always a tuple here
        return (_rebuilt, (type(self), {name: getattr(self, name) for name in names}))


def _rebuilt(cls: type[FrozenRecord], values: dict[str, Any]) -> FrozenRecord:
    record = cls.__new__(cls)
    for name, value in values.items():
        object.__setattr__(record, name, value)
    return record
