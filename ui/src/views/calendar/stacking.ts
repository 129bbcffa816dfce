// Where overlapping events of one day column go, side by side: a port of FullCalendar 6's own
// placement (`buildPositioning` in @fullcalendar/timegrid, `SegHierarchy` in @fullcalendar/core),
// for its week view with `slotEventOverlap: false` and no stack limit. The calendar's first view
// must give every event the width FullCalendar will give it, and FullCalendar does not
// share one width per group: an event beside fewer others is stretched into the room to its right.
// The structure and names follow FullCalendar's code, so the two can be compared line by line.

/** A vertical extent in the column, in px, as FullCalendar rounds it. */
export interface Span {
  start: number;
  end: number;
}

/** An event's place: `levelCoord` and `thickness` are fractions of the column's width. */
export interface StackRect {
  index: number;
  span: Span;
  levelCoord: number;
  thickness: number;
  /** How many events lie to its left, each overlapping the next (FullCalendar's z-index - 1). */
  stackDepth: number;
  /** How many levels lie to its right; > 0 draws FullCalendar's white outline ("inset"). */
  stackForward: number;
}

interface Entry {
  index: number;
  span: Span;
  /** 1 while the levels are built; the stretched width after. */
  thickness: number;
}

interface WebNode extends Entry {
  nextLevelNodes: WebNode[];
}

/**
 * The places of `spans` (in FullCalendar's `eventOrder`: start, longer first, title), one per
 * span, in no particular order.
 */
export function stackSpans(spans: Span[]): StackRect[] {
  const hierarchy = new Levels();
  spans.forEach((span, index) => hierarchy.insert({ index, span, thickness: 1 }));
  return webToRects(stretchWeb(buildWeb(hierarchy), 1));
}

const entryKey = (entry: Entry) => `${entry.index}:${entry.span.start}`;
const spanEnd = (entry: Entry) => entry.span.end;

/**
 * FullCalendar's `binarySearch`: where `value` would go among `items` sorted by `valueOf`, and 1
 * when an item has exactly that value.
 */
function binarySearch(items: Entry[], value: number, valueOf: (e: Entry) => number): [number, number] {
  let start = 0;
  let end = items.length;
  if (!end || value < valueOf(items[start])) return [0, 0];
  if (value > valueOf(items[end - 1])) return [end, 0];
  while (start < end) {
    const middle = Math.floor(start + (end - start) / 2);
    const middleValue = valueOf(items[middle]);
    if (value < middleValue) end = middle;
    else if (value > middleValue) start = middle + 1;
    else return [middle, 1];
  }
  return [start, 0];
}

/** FullCalendar's `SegHierarchy` without limits: each entry in the first level where it fits. */
class Levels {
  levelCoords: number[] = [];
  entriesByLevel: Entry[][] = [];

  insert(entry: Entry) {
    const { levelCoords, entriesByLevel } = this;
    let candidateCoord = 0;
    let touchingLevel = -1;
    let touching: Entry | null = null;
    for (let level = 0; level < levelCoords.length; level += 1) {
      const coord = levelCoords[level];
      // This level lies past the entry: the room found so far is free.
      if (coord >= candidateCoord + entry.thickness) break;
      const entries = entriesByLevel[level];
      const found = binarySearch(entries, entry.span.start, spanEnd);
      // An entry ending exactly where this one starts does not collide.
      let lateral = found[0] + found[1];
      let other: Entry | undefined;
      while ((other = entries[lateral]) && other.span.start < entry.span.end) {
        const otherBottom = coord + other.thickness;
        if (otherBottom > candidateCoord) {
          candidateCoord = otherBottom;
          touching = other;
          touchingLevel = level;
        }
        lateral += 1;
      }
    }
    let level = 0;
    if (touching) {
      level = touchingLevel + 1;
      while (level < levelCoords.length && levelCoords[level] < candidateCoord) level += 1;
    }
    if (level < levelCoords.length && levelCoords[level] === candidateCoord) {
      const lateral = binarySearch(entriesByLevel[level], entry.span.end, spanEnd)[0];
      entriesByLevel[level].splice(lateral, 0, entry);
    } else {
      levelCoords.splice(level, 0, candidateCoord);
      entriesByLevel.splice(level, 0, [entry]);
    }
  }
}

/** The entries of the first later level that overlap the given one, as a lateral range. */
function findNextLevelSegs(hierarchy: Levels, subjectLevel: number, subjectLateral: number) {
  const { levelCoords, entriesByLevel } = hierarchy;
  const subject = entriesByLevel[subjectLevel][subjectLateral];
  const afterSubject = levelCoords[subjectLevel] + subject.thickness;
  let level = subjectLevel;
  while (level < levelCoords.length && levelCoords[level] < afterSubject) level += 1;
  for (; level < levelCoords.length; level += 1) {
    const entries = entriesByLevel[level];
    const found = binarySearch(entries, subject.span.start, spanEnd);
    const lateralStart = found[0] + found[1];
    let lateralEnd = lateralStart;
    let entry: Entry | undefined;
    while ((entry = entries[lateralEnd]) && entry.span.start < subject.span.end) lateralEnd += 1;
    if (lateralStart < lateralEnd) return { level, lateralStart, lateralEnd };
  }
  return null;
}

type Range = { level: number; lateralStart: number; lateralEnd: number } | null;

/** The tree of who overlaps whom to the right, heaviest ("pressure") branches first. */
function buildWeb(hierarchy: Levels): WebNode[] {
  const cache = new Map<string, [WebNode, number]>();
  const buildNode = (level: number, lateral: number): [WebNode, number] => {
    const key = `${level}:${lateral}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const [nextLevelNodes, pressure] = buildNodes(findNextLevelSegs(hierarchy, level, lateral), buildNode);
    const entry = hierarchy.entriesByLevel[level][lateral];
    const built: [WebNode, number] = [{ ...entry, nextLevelNodes }, entry.thickness + pressure];
    cache.set(key, built);
    return built;
  };
  const { entriesByLevel } = hierarchy;
  return buildNodes(entriesByLevel.length ? { level: 0, lateralStart: 0, lateralEnd: entriesByLevel[0].length } : null, buildNode)[0];
}

function buildNodes(range: Range, buildNode: (level: number, lateral: number) => [WebNode, number]): [WebNode[], number] {
  if (!range) return [[], 0];
  const pairs: [WebNode, number][] = [];
  for (let lateral = range.lateralStart; lateral < range.lateralEnd; lateral += 1) pairs.push(buildNode(range.level, lateral));
  pairs.sort((a, b) => b[1] - a[1]);
  return [pairs.map((pair) => pair[0]), pairs[0][1]];
}

/** Gives each node its share of the width, the branches stretched to the column's edge. */
function stretchWeb(topLevelNodes: WebNode[], totalThickness: number): WebNode[] {
  // FullCalendar caches by the entry alone: a node reached twice keeps its first stretch.
  const cache = new Map<string, [number, WebNode]>();
  const stretchNode = (node: WebNode, startCoord: number, prevThickness: number): [number, WebNode] => {
    const key = entryKey(node);
    const cached = cache.get(key);
    if (cached) return cached;
    const allThickness = node.thickness + prevThickness;
    const thicknessFraction = node.thickness / allThickness;
    let endCoord: number | undefined;
    const newChildren: WebNode[] = [];
    if (!node.nextLevelNodes.length) {
      endCoord = totalThickness;
    } else {
      for (const child of node.nextLevelNodes) {
        if (endCoord === undefined) {
          const [childStart, stretched] = stretchNode(child, startCoord, allThickness);
          endCoord = childStart;
          newChildren.push(stretched);
        } else {
          newChildren.push(stretchNode(child, endCoord, 0)[1]);
        }
      }
    }
    const newThickness = (endCoord! - startCoord) * thicknessFraction;
    const result: [number, WebNode] = [endCoord! - newThickness, { ...node, thickness: newThickness, nextLevelNodes: newChildren }];
    cache.set(key, result);
    return result;
  };
  return topLevelNodes.map((node) => stretchNode(node, 0, 0)[1]);
}

/** The nodes as places: where each begins, how deep it is stacked, how many follow it. */
function webToRects(topLevelNodes: WebNode[]): StackRect[] {
  const rects: StackRect[] = [];
  const cache = new Map<string, number>();
  const processNode = (node: WebNode, levelCoord: number, stackDepth: number): number => {
    const key = entryKey(node);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const rect: StackRect = { index: node.index, span: node.span, thickness: node.thickness, levelCoord, stackDepth, stackForward: 0 };
    rects.push(rect);
    rect.stackForward = processNodes(node.nextLevelNodes, levelCoord + node.thickness, stackDepth + 1) + 1;
    cache.set(key, rect.stackForward);
    return rect.stackForward;
  };
  const processNodes = (nodes: WebNode[], levelCoord: number, stackDepth: number): number => {
    let stackForward = 0;
    for (const node of nodes) stackForward = Math.max(processNode(node, levelCoord, stackDepth), stackForward);
    return stackForward;
  };
  processNodes(topLevelNodes, 0, 0);
  return rects;
}
