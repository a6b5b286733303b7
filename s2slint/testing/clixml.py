"""One CLIXML writer: `Export-Clixml` output as PowerShell lays it out.

For tests and plugin authors who need exports in their genuine form: objects with
their type-name lists (the first use spelled out in `<TN>`, later ones pointing back
with `<TNRef>`), enums as `<ToString>` plus `<I32>`, lists, `Props` and `MS` (the note
properties a remote session adds, such as `PSComputerName`), references to an object
already written (`<Ref>`), `$null` as `<Nil />`, and PowerShell's `_xHHHH_` escapes for
control characters. Two-space indentation, one element per line, as PowerShell writes.

    text = clixml([Obj(None, ("My.Type", "System.Object"), to_string="x",
                       props=(s("Identity", "Global"), b("Enabled", True)))])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

NAMESPACE = "http://schemas.microsoft.com/powershell/2004/04"
"""The namespace of every `Export-Clixml` document."""


@dataclass(frozen=True)
class Prim:
    """A primitive value: `<S N="x">v</S>`; `value=None` writes `<Tag N="x" />`."""

    tag: str
    name: str | None
    value: str | None


@dataclass(frozen=True)
class Obj:
    """A complex object (`<Obj>`): an object with properties, an enum or a list.

    `key` lets a later `Ref` point back at this object, as PowerShell refers to an
    object it has already written.
    """

    name: str | None
    types: tuple[str, ...]
    to_string: str | None = None
    props: tuple[Node, ...] | None = None
    ms: tuple[Node, ...] | None = None
    items: tuple[Node, ...] | None = None
    enum_value: int | None = None
    key: str | None = None


@dataclass(frozen=True)
class Ref:
    """A reference to an object written before (`<Ref N="x" RefId="n" />`)."""

    name: str
    key: str


Node = Prim | Obj | Ref


def s(name: str | None, value: str) -> Prim:
    """A string (`<S>`)."""
    return Prim("S", name, value)


def b(name: str, value: bool) -> Prim:
    """A boolean (`<B>`)."""
    return Prim("B", name, "true" if value else "false")


def i32(name: str, value: int) -> Prim:
    """A 32-bit integer (`<I32>`)."""
    return Prim("I32", name, str(value))


def nil(name: str) -> Prim:
    """`$null` (`<Nil />`)."""
    return Prim("Nil", name, None)


def dt(name: str, value: str) -> Prim:
    """A date and time (`<DT>`), already in PowerShell's round-trip form."""
    return Prim("DT", name, value)


def g(name: str, value: str) -> Prim:
    """A GUID (`<G>`)."""
    return Prim("G", name, value)


def enum(name: str, type_name: str, label: str, value: int) -> Obj:
    """An enum value: its type names, its name as `ToString` and its number as `I32`."""
    return Obj(
        name,
        (type_name, "System.Enum", "System.ValueType", "System.Object"),
        to_string=label,
        enum_value=value,
    )


def attr(value: str) -> str:
    """Escape text for an XML attribute value."""
    return escape(value, {'"': "&quot;"})


def ps_escape(text: str) -> str:
    """Escape as PowerShell's serializer does: XML entities and `_xHHHH_` for controls."""
    out = []
    for ch in text:
        if ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"_x{ord(ch):04X}_")
        else:
            out.append(ch)
    return escape("".join(out))


class ClixmlWriter:
    """Serialize `Obj` trees as `Export-Clixml` lays them out."""

    def __init__(self) -> None:
        self.lines: list[str] = [f'<Objs Version="1.1.0.1" xmlns="{NAMESPACE}">']
        self._next_obj = 0
        self._type_refs: dict[tuple[str, ...], int] = {}
        self._keys: dict[str, int] = {}

    def add(self, obj: Obj) -> None:
        """Write one top-level object."""
        self._node(obj, 2)

    def text(self) -> str:
        """Return the document written so far, closed."""
        return "\n".join([*self.lines, "</Objs>"])

    def _node(self, node: Node, indent: int) -> None:
        pad = " " * indent
        if isinstance(node, Ref):
            ref = self._keys[node.key]
            self.lines.append(f'{pad}<Ref N="{attr(node.name)}" RefId="{ref}" />')
        elif isinstance(node, Prim):
            name = f' N="{attr(node.name)}"' if node.name is not None else ""
            if node.value is None:
                self.lines.append(f"{pad}<{node.tag}{name} />")
            else:
                self.lines.append(f"{pad}<{node.tag}{name}>{ps_escape(node.value)}</{node.tag}>")
        else:
            self._obj(node, indent)

    def _obj(self, obj: Obj, indent: int) -> None:
        pad = " " * indent
        inner = pad + "  "
        ref = self._next_obj
        self._next_obj += 1
        if obj.key is not None:
            self._keys[obj.key] = ref
        name = f' N="{attr(obj.name)}"' if obj.name is not None else ""
        self.lines.append(f'{pad}<Obj{name} RefId="{ref}">')
        if obj.types in self._type_refs:
            self.lines.append(f'{inner}<TNRef RefId="{self._type_refs[obj.types]}" />')
        else:
            type_ref = len(self._type_refs)
            self._type_refs[obj.types] = type_ref
            self.lines.append(f'{inner}<TN RefId="{type_ref}">')
            self.lines.extend(f"{inner}  <T>{escape(t)}</T>" for t in obj.types)
            self.lines.append(f"{inner}</TN>")
        if obj.to_string is not None:
            if obj.to_string:
                self.lines.append(f"{inner}<ToString>{ps_escape(obj.to_string)}</ToString>")
            else:
                self.lines.append(f"{inner}<ToString />")
        if obj.enum_value is not None:
            self.lines.append(f"{inner}<I32>{obj.enum_value}</I32>")
        if obj.items is not None:
            if obj.items:
                self.lines.append(f"{inner}<LST>")
                for item in obj.items:
                    self._node(item, indent + 4)
                self.lines.append(f"{inner}</LST>")
            else:
                self.lines.append(f"{inner}<LST />")
        for tag, members in (("Props", obj.props), ("MS", obj.ms)):
            if members:
                self.lines.append(f"{inner}<{tag}>")
                for member in members:
                    self._node(member, indent + 4)
                self.lines.append(f"{inner}</{tag}>")
        self.lines.append(f"{pad}</Obj>")


def clixml(objects: Sequence[Obj]) -> str:
    """Return the `Export-Clixml` document of `objects`."""
    writer = ClixmlWriter()
    for obj in objects:
        writer.add(obj)
    return writer.text()
