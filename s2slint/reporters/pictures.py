"""The audit report's two pictures, drawn as inline SVG at fixed coordinates.

"Trust relationships": the Lync pools in a frame on the left, Exchange and SharePoint in
the middle, Exchange Online and Microsoft's token service on the right; every trust is
an arrow from the party that holds it to the party it trusts, coloured *and* labelled
with its status, so the picture reads the same printed in black and white.

"Certificate timeline": one validity bar per certificate in scope against a time axis,
the evaluation date as a line, the warning window before it shaded, roll effective
dates marked on their bars, and each bar's role and state written beside it.

Both carry `data-` attributes (a party's or trust's id and status) so tests, and
anyone post-processing the report, can read what the picture says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from s2slint.reporters import timeline as tl
from s2slint.reporters import trust
from s2slint.reporters.svg import Svg, fit, text_width, wrap

INK = "#1b1f24"
MUTED = "#57606a"
_COLOURS = {
    trust.OK: ("#1a7f37", "#e6f4ea"),
    trust.FAILED: ("#b42318", "#fdecea"),
    trust.ACCEPTED: ("#8a5a00", "#fff4d6"),
    trust.NOT_EVALUATED: ("#57606a", "#eef1f4"),
}
_FONT = 12

# ------------------------------------------------------------ trust relationships

_COLUMNS = {"lync": (10.0, 240.0), "middle": (420.0, 600.0), "right": (740.0, 930.0)}
_SLOT = 130.0
_BOX = 72.0
_TOP = 70.0
_WIDTH = 940.0


def _column(node_id: str) -> str:
    return "right" if node_id in (trust.EXCHANGE_ONLINE, trust.TOKEN_SERVICE) else "middle"


def _node_lines(node: trust.Node, width: float) -> list[str]:
    return wrap(_shout(node.status, ", ".join(node.codes)), _FONT - 1, width, lines=2)


def node_height(node: trust.Node, width: float) -> float:
    """Return the height a party's box needs: title, detail and one or two status lines."""
    return 44 + 14 * len(_node_lines(node, width - 16))


def _node_box(svg: Svg, node: trust.Node, x: float, y: float, w: float, h: float) -> None:
    stroke, fill = _COLOURS[node.status]
    svg.begin(class_="node", data_node=node.id, data_status=node.status)
    said = _shout(node.status, ", ".join(node.codes))
    svg.tooltip(f"{node.title} ({node.detail}): {said}")
    svg.rect(x, y, w, h, rx=6, fill=fill, stroke=stroke, stroke_width=1.5)
    inner = w - 16
    svg.text(
        x + 8, y + 18, fit(node.title, _FONT, inner), font_size=_FONT, font_weight=600, fill=INK
    )
    svg.text(x + 8, y + 34, fit(node.detail, _FONT - 1, inner), font_size=_FONT - 1, fill=MUTED)
    svg.lines(
        x + 8,
        y + 52,
        _node_lines(node, inner),
        14,
        font_size=_FONT - 1,
        font_weight=600,
        fill=stroke,
    )
    svg.end()


def _shout(status: str, rest: str) -> str:
    """Write a status in capitals, then what it rests on ("FAILED: PAP001")."""
    return f"{status.upper()}: {rest}" if rest else status.upper()


def _edge_label(edge: trust.Edge) -> tuple[str, str]:
    objects = ", ".join(edge.objects) if edge.objects else "no trust object"
    said = ", ".join(part for part in (edge.note, ", ".join(edge.codes)) if part)
    return objects, _shout(edge.status, said)


def _draw_edge(
    svg: Svg,
    edge: trust.Edge,
    points: list[tuple[float, float]],
    label_at: tuple[float, float],
    label_width: float,
    above: bool,
    anchor: str = "middle",
) -> None:
    stroke, _ = _COLOURS[edge.status]
    dashed = "7 5" if edge.status == trust.NOT_EVALUATED else None
    width = 2.6 if edge.status == trust.FAILED else 1.8
    svg.begin(class_="edge", data_from=edge.source, data_to=edge.target, data_status=edge.status)
    objects, words = _edge_label(edge)
    svg.tooltip(
        f"{_NAMES.get(edge.source, edge.source)} trusts {_NAMES.get(edge.target, edge.target)} ({objects}): {words}"
    )
    svg.polyline(
        points,
        stroke=stroke,
        stroke_width=width,
        stroke_dasharray=dashed,
        marker_end=f"url(#trust-arrow-{edge.status.replace(' ', '-')})",
    )
    x, y = label_at
    lines = [fit(objects, _FONT - 1, label_width), *wrap(words, _FONT - 1, label_width, lines=3)]
    step = 13.0
    first = y - 6 - step * (len(lines) - 1) if above else y + 16
    svg.lines(x, first, lines[:1], step, font_size=_FONT - 1, fill=MUTED, text_anchor=anchor)
    svg.lines(
        x,
        first + step,
        lines[1:],
        step,
        font_size=_FONT - 1,
        font_weight=600,
        fill=stroke,
        text_anchor=anchor,
    )
    svg.end()


_NAMES = {
    trust.LYNC: "Lync",
    trust.EXCHANGE: "Exchange",
    trust.SHAREPOINT: "SharePoint",
    trust.EXCHANGE_ONLINE: "Exchange Online",
    trust.TOKEN_SERVICE: "Microsoft token service",
}


def describe_trust(graph: trust.TrustGraph) -> str:
    """Say in sentences what the trust picture shows (its `<desc>` and accessible text)."""
    parts = []
    for pool in graph.pools:
        parts.append(f"Lync pool {pool.title} ({pool.detail}): {pool.status}.")
    if graph.more_pools:
        parts.append(f"{graph.more_pools} more Lync pools are not drawn.")
    for node in graph.partners:
        parts.append(f"{node.title} ({node.detail}): {node.status}.")
    for edge in graph.edges:
        objects = ", ".join(edge.objects) if edge.objects else "no trust object"
        parts.append(
            f"{_NAMES.get(edge.source, edge.source)} trusts {_NAMES.get(edge.target, edge.target)}"
            f" ({objects}): {edge.words}."
        )
    return " ".join(parts)


def trust_label(graph: trust.TrustGraph) -> str:
    """Return the picture's accessible name: what it is and how its trusts stand."""
    counts = {s: sum(1 for e in graph.edges if e.status == s) for s in _COLOURS}
    said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return f"Trust relationships: {len(graph.edges)} trusts" + (f" ({said})" if said else "")


def draw_trust(graph: trust.TrustGraph) -> str:
    """Draw the trust relationships (see the module for the layout)."""
    middle = [n for n in graph.partners if _column(n.id) == "middle"]
    right = [n for n in graph.partners if _column(n.id) == "right"]
    rows = max(1, len(middle), len(right))
    pool_width = _COLUMNS["lync"][1] - _COLUMNS["lync"][0] - 20
    heights = [node_height(pool, pool_width) for pool in graph.pools]
    pools_h = sum(h + 8 for h in heights) + (24 if graph.more_pools else 0)
    frame_h = max(rows * _SLOT - (_SLOT - _BOX) + 20, 40 + pools_h)
    lanes_below = any(e.source == trust.LYNC and _column(e.target) == "right" for e in graph.edges)
    height = _TOP + frame_h + (90 if lanes_below else 40) + 20
    svg = Svg(_WIDTH, height, trust_label(graph), describe_trust(graph), css_class="picture trust")
    for status, (stroke, _) in _COLOURS.items():
        svg.arrowhead(f"trust-arrow-{status.replace(' ', '-')}", stroke)
    _legend(svg)

    # Lync: a frame holding its pools.
    lx0, lx1 = _COLUMNS["lync"]
    top = _TOP
    svg.begin(class_="party lync")
    svg.rect(lx0, top, lx1 - lx0, frame_h, rx=8, fill="#ffffff", stroke=INK, stroke_width=1.2)
    svg.text(
        lx0 + 10, top + 20, "Lync / Skype for Business", font_size=_FONT, font_weight=700, fill=INK
    )
    svg.end()
    y = top + 32
    for pool, pool_h in zip(graph.pools, heights, strict=True):
        _node_box(svg, pool, lx0 + 10, y, pool_width, pool_h)
        y += pool_h + 8
    if graph.more_pools:
        svg.text(
            lx0 + 12, y + 16, f"+ {graph.more_pools} more pools", font_size=_FONT - 1, fill=MUTED
        )

    centres: dict[str, tuple[float, float, float, float]] = {}
    for column, nodes in (("middle", middle), ("right", right)):
        x0, x1 = _COLUMNS[column]
        for row, node in enumerate(nodes):
            ny = top + 10 + row * _SLOT
            _node_box(svg, node, x0, ny, x1 - x0, _BOX)
            centres[node.id] = (x0, x1, ny, ny + _BOX)

    lane_low = top + frame_h + 30
    lane_high = lane_low + 36
    sideways: dict[str, list[trust.Edge]] = {}
    for edge in graph.edges:
        if trust.LYNC not in (edge.source, edge.target):
            sideways.setdefault(edge.source, []).append(edge)
    for edge in graph.edges:
        siblings = sideways.get(edge.source, [edge])
        index = siblings.index(edge) if edge in siblings else 0
        lanes = (lane_low, lane_high)
        _route(svg, edge, centres, top, frame_h, lanes, index, len(siblings))
    return svg.render()


def _route(
    svg: Svg,
    edge: trust.Edge,
    boxes: dict[str, tuple[float, float, float, float]],
    top: float,
    frame_h: float,
    lanes: tuple[float, float],
    index: int = 0,
    count: int = 1,
) -> None:
    """Draw one trust along its fixed route (`index` of `count` leaving the same party)."""
    lync_right = _COLUMNS["lync"][1]
    if trust.LYNC in (edge.source, edge.target):
        other = edge.target if edge.source == trust.LYNC else edge.source
        if other not in boxes:
            return
        x0, x1, y0, y1 = boxes[other]
        mid = (y0 + y1) / 2
        outgoing = edge.source == trust.LYNC
        if _column(other) == "middle":
            y = mid - 11 if outgoing else mid + 11
            points = [(lync_right, y), (x0, y)] if outgoing else [(x0, y), (lync_right, y)]
            _draw_edge(
                svg, edge, points, ((lync_right + x0) / 2, y), x0 - lync_right - 16, above=outgoing
            )
            return
        lane = lanes[0] if outgoing else lanes[1]
        start_x = (_COLUMNS["lync"][0] + lync_right) / 2 + (-20 if outgoing else 20)
        end_x = (x0 + x1) / 2 + (-20 if outgoing else 20)
        bottom = top + frame_h
        points = [(start_x, bottom), (start_x, lane), (end_x, lane), (end_x, y1)]
        if not outgoing:
            points.reverse()
        _draw_edge(svg, edge, points, ((start_x + end_x) / 2, lane), 360, above=False)
        return
    if edge.source in boxes and edge.target in boxes:
        _, sx1, sy0, sy1 = boxes[edge.source]
        tx0, _, ty0, ty1 = boxes[edge.target]
        share = (index + 1) / (count + 1)
        start = (sx1, sy0 + share * (sy1 - sy0))
        end = (tx0, (ty0 + ty1) / 2)
        downward = end[1] > start[1] + 1
        label = (tx0 - 6, end[1] + 4 if downward else end[1] - 4)
        _draw_edge(svg, edge, [start, end], label, tx0 - sx1 - 12, above=not downward, anchor="end")


def _legend(svg: Svg) -> None:
    """Write what arrows and colours mean, at the top of the picture."""
    svg.begin(class_="legend")
    svg.text(
        10,
        18,
        "An arrow from A to B: A trusts B (a partner application, OAuth server or token issuer).",
        font_size=_FONT - 1,
        fill=MUTED,
    )
    x = 10.0
    for status, (stroke, _) in _COLOURS.items():
        svg.line(
            x,
            38,
            x + 28,
            38,
            stroke=stroke,
            stroke_width=2.2,
            stroke_dasharray="7 5" if status == trust.NOT_EVALUATED else None,
        )
        svg.text(x + 34, 42, status, font_size=_FONT - 1, fill=INK)
        x += 34 + text_width(status, _FONT - 1) + 24
    svg.end()


# ------------------------------------------------------------- certificate timeline

_LABEL_W = 330.0
_CHART_X0 = 360.0
_CHART_X1 = 920.0
_ROW = 62.0
_AXIS_Y = 64.0


def timeline_label(line: tl.Timeline) -> str:
    """Return the timeline's accessible name."""
    count = len(line.bars)
    return (
        f"Certificate timeline: {count} certificate{'s' if count != 1 else ''}, "
        f"evaluated {line.now.strftime('%Y-%m-%d')}, {line.warn_days}-day warning window"
    )


def describe_timeline(line: tl.Timeline) -> str:
    """Say in sentences what the timeline shows."""
    parts = []
    for bar in line.bars:
        roles = "; ".join(bar.roles) or bar.kind
        marks = "".join(f" Marked: {m.text}." for m in bar.markers)
        parts.append(f"{bar.thumbprint} ({roles}): {bar.state}.{marks}")
    return " ".join(parts)


def _range(line: tl.Timeline) -> tuple[datetime, datetime]:
    starts = [b.not_before for b in line.bars if b.not_before] + [line.now]
    ends = [b.not_after for b in line.bars if b.not_after]
    ends += [line.now + timedelta(days=line.warn_days)]
    ends += [m.when for b in line.bars for m in b.markers]
    start = datetime(min(starts).year, 1, 1, tzinfo=UTC)
    end = datetime(max(ends).year + 1, 1, 1, tzinfo=UTC)
    return start, end


def draw_timeline(line: tl.Timeline) -> str:
    """Draw the certificate timeline (see the module for what it shows)."""
    start, end = _range(line)
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        share = (moment - start).total_seconds() / span
        return _CHART_X0 + max(0.0, min(1.0, share)) * (_CHART_X1 - _CHART_X0)

    rows = max(1, len(line.bars))
    height = _AXIS_Y + rows * _ROW + 30
    svg = Svg(
        _WIDTH, height, timeline_label(line), describe_timeline(line), css_class="picture timeline"
    )
    now_x = x_of(line.now)
    warn_x = x_of(line.now + timedelta(days=line.warn_days))
    bottom = _AXIS_Y + rows * _ROW
    svg.begin(class_="warning-window")
    svg.rect(
        now_x,
        _AXIS_Y,
        max(warn_x - now_x, 2),
        bottom - _AXIS_Y,
        fill="#fff4d6",
        stroke="#8a5a00",
        stroke_width=0.6,
        stroke_dasharray="3 3",
    )
    svg.text(
        warn_x + 4,
        _AXIS_Y - 30,
        f"{line.warn_days}-day warning window",
        font_size=_FONT - 1,
        fill="#8a5a00",
    )
    svg.end()
    # Years along the top.
    svg.begin(class_="axis")
    svg.line(_CHART_X0, _AXIS_Y, _CHART_X1, _AXIS_Y, stroke=MUTED, stroke_width=1)
    years = range(start.year, end.year + 1)
    every = max(1, len(years) // 10)
    for year in years[::every]:
        x = x_of(datetime(year, 1, 1, tzinfo=UTC))
        svg.line(x, _AXIS_Y - 4, x, bottom, stroke="#d0d7de", stroke_width=0.8)
        if x < _CHART_X1 - 30:
            svg.text(x + 3, _AXIS_Y - 8, str(year), font_size=_FONT - 2, fill=MUTED)
    svg.end()
    for row, bar in enumerate(line.bars):
        _bar(svg, bar, _AXIS_Y + row * _ROW, x_of)
    if not line.bars:
        svg.text(
            _CHART_X0, _AXIS_Y + 28, "No certificate in the bundle.", font_size=_FONT, fill=MUTED
        )
    svg.begin(class_="evaluation-date")
    svg.line(now_x, _AXIS_Y - 22, now_x, bottom, stroke=INK, stroke_width=1.6)
    day = line.now.strftime("%Y-%m-%d")
    svg.text(
        now_x - 4,
        _AXIS_Y - 44,
        f"evaluated {day}",
        font_size=_FONT - 1,
        font_weight=600,
        fill=INK,
        text_anchor="end" if now_x > _CHART_X0 + 120 else "start",
    )
    svg.end()
    return svg.render()


def _bar_colour(bar: tl.Bar) -> tuple[str, str]:
    if bar.not_after is None:
        return _COLOURS[trust.NOT_EVALUATED]
    if bar.state.startswith("expired"):
        return _COLOURS[trust.FAILED]
    if bar.state.startswith(("expires", "not yet")):
        return _COLOURS[trust.ACCEPTED]
    return _COLOURS[trust.OK]


def _bar(svg: Svg, bar: tl.Bar, y: float, x_of: Callable[[datetime], float]) -> None:
    stroke, fill = _bar_colour(bar)
    svg.begin(class_="certificate", data_thumbprint=bar.thumbprint, data_kind=bar.kind)
    roles = "; ".join(bar.roles) or "certificate"
    svg.tooltip(f"{bar.thumbprint}: {roles}; {bar.subject}; {bar.state}")
    heading = wrap(roles, _FONT - 1, _LABEL_W, lines=2)
    svg.lines(10, y + 14, heading, 13, font_size=_FONT - 1, font_weight=600, fill=INK)
    below = y + 14 + 13 * len(heading)
    svg.text(10, below, bar.thumbprint, font_size=_FONT - 2, fill=INK, font_family="monospace")
    svg.text(10, below + 12, fit(bar.state, _FONT - 2, _LABEL_W), font_size=_FONT - 2, fill=MUTED)
    if bar.not_before is not None and bar.not_after is not None:
        x0, x1 = x_of(bar.not_before), x_of(bar.not_after)
        svg.rect(
            x0,
            y + 20,
            max(x1 - x0, 2),
            18,
            rx=3,
            fill=fill,
            stroke=stroke,
            stroke_width=1.4,
            stroke_dasharray="5 3" if bar.kind == tl.STAGED else None,
        )
    else:
        svg.text(
            _CHART_X0 + 4,
            y + 34,
            "no dates: no certificate in the bundle",
            font_size=_FONT - 2,
            fill=MUTED,
        )
    svg.line(10, y + _ROW - 1, _CHART_X1, y + _ROW - 1, stroke="#eef1f4", stroke_width=1)
    for marker in bar.markers:
        mx = x_of(marker.when)
        svg.polygon([(mx, y + 22), (mx + 7, y + 29), (mx, y + 36), (mx - 7, y + 29)], fill=INK)
        svg.text(mx + 9, y + 16, marker.text, font_size=_FONT - 2, fill=INK)
    svg.end()
