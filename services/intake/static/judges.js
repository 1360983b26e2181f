// The chief's judgement analysis (docs/rules.md, "Judges"): a row per judge with the judges to
// look at marked, and a heatmap of judges by members, each cell that judge's mean deviation on
// that member's competitors. Colour is never the only sign: a kinder cell has ▲, a "+" and a
// solid border, a harsher one ▼, a "−" and a dashed border, so it reads in black and white.
// Asked every 0.4 s with If-None-Match, so a score shows within half a second of landing;
// while no mark lands in the skill, intake answers 304
// after one small read and nothing is redrawn.
"use strict";

const JUDGES_EVERY_MS = 400;
const judgesState = {skill: null, tag: "", table: null};

// Whether the skill's table changed; throws HttpError or TypeError as `api` does.
async function loadJudges(skill) {
  if (judgesState.skill !== skill) Object.assign(judgesState, {skill, tag: "", table: null});
  const headers = {Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) || ""}`};
  if (judgesState.tag) headers["If-None-Match"] = judgesState.tag;
  const response = await fetch(`/api/skills/${encodeURIComponent(skill)}/judges`,
                               {headers, cache: "no-store"});
  if (response.status === 304) return false;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new HttpError(response.status, body);
  if (judgesState.skill !== skill) return false;  // another skill was chosen meanwhile
  judgesState.tag = response.headers.get("ETag") || "";
  judgesState.table = body;
  return true;
}

// Three decimals with the sign always written ("+0.500", "−0.167"), "—" for nothing to compare.
function signed(value, places = 3) {
  if (value === null || value === undefined) return "—";
  const text = Math.abs(value).toFixed(places);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

// Strength bands of a mean deviation: within 0.2 of the others is plain.
function heat(value) {
  const size = Math.abs(value);
  const level = size >= 1 ? 3 : size >= 0.5 ? 2 : size >= 0.2 ? 1 : 0;
  if (level === 0) return {kind: "even", level, mark: ""};
  return value > 0 ? {kind: "kind", level, mark: "▲"} : {kind: "harsh", level, mark: "▼"};
}

function judgeName(row) {
  return el("span", {}, el("span", {class: "member"}, row.member), " ", row.name);
}

function judgesTable(rows, words) {
  const head = el("tr", {}, el("th", {}, words.judge), el("th", {class: "num"}, words.scores),
    el("th", {class: "num"}, words.meanScore), el("th", {class: "num"}, words.deviation),
    el("th", {class: "num"}, words.absDeviation), el("th", {class: "num"}, words.farScores),
    el("th", {class: "num"}, words.compatriotScores), el("th", {}));
  const body = rows.map((row) => el("tr", {"data-expert": row.expert, class: row.flagged ? "flagged" : ""},
    el("td", {}, judgeName(row)),
    el("td", {class: "num"}, String(row.scores)),
    el("td", {class: "num"}, row.mean_score.toFixed(3)),
    el("td", {class: "num deviation"}, signed(row.deviation)),
    el("td", {class: "num distance"}, row.abs_deviation === null ? "—" : row.abs_deviation.toFixed(3)),
    el("td", {class: "num far"}, String(row.far)),
    el("td", {class: "num"}, String(row.compatriot_scores)),
    el("td", {}, row.flagged ? el("span", {class: "badge flag"}, `⚑ ${words.flaggedJudge}`) : "")));
  return el("table", {class: "grid judges-table"}, el("thead", {}, head), el("tbody", {}, ...body));
}

function heatmap(rows, words) {
  const members = [...new Set(rows.flatMap((row) => Object.keys(row.by_member)))].sort();
  const head = el("tr", {}, el("th", {}, words.judge),
    ...members.map((m) => el("th", {class: "num", scope: "col"}, el("span", {class: "member"}, m))));
  const body = rows.map((row) => el("tr", {"data-expert": row.expert, class: row.flagged ? "flagged" : ""},
    el("th", {scope: "row"}, judgeName(row)),
    ...members.map((m) => {
      const value = row.by_member[m];
      if (value === undefined) return el("td", {class: "heat empty", "data-member": m}, "");
      const band = heat(value);
      return el("td", {class: `heat ${band.kind} level-${band.level}`, "data-member": m,
                       "data-deviation": String(value), title: `${row.name} · ${m}: ${signed(value)}`},
                `${band.mark} ${signed(value, 2)}`.trim());
    })));
  const legend = el("p", {class: "heat-legend"},
    el("span", {class: "heat kind level-2"}, words.kinder), " ",
    el("span", {class: "heat harsh level-2"}, words.harsher));
  return [el("h3", {}, words.judgesHeatmap), legend,
          el("table", {class: "grid heatmap", "aria-label": words.judgesHeatmap},
             el("thead", {}, head), el("tbody", {}, ...body))];
}

// The section's nodes for the table intake answered, or a line while there is nothing.
function judgesSection(table, words) {
  const title = el("h2", {}, words.judgesTitle);
  if (!table) return [title];
  if (!table.judges.length) return [title, el("p", {}, words.noJudgements)];
  return [title, el("p", {class: "note"}, words.judgesNote), judgesTable(table.judges, words),
          ...heatmap(table.judges, words)];
}
