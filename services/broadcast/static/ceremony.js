// The closing ceremony on the hall's screens: one step at a time, as the `ceremony` channel
// sends it (the frame holds the current step and nothing of any other).
"use strict";

function ceremonyStep(view, words, championship) {
  const step = view.current;
  const section = el("section", {class: `ceremony ${step ? step.kind : "waiting"}`,
    "data-step": String(view.step), "data-kind": step ? step.kind : "waiting"});
  if (!step) {
    section.append(el("p", {class: "ceremony-title"}, words.ceremony),
                   el("h2", {class: "ceremony-name"}, championship.name));
    return section;
  }
  const skill = championship.skills.find((s) => s.id === step.skill);
  switch (step.kind) {
    case "call_up":
      section.append(el("h2", {}, skill ? skill.name : step.skill),
        el("p", {class: "ceremony-title"}, words.calledUp), calledList(view.called, words, championship));
      break;
    case "medallions":
    case "bronze":
    case "silver":
    case "gold": {
      const medal = step.kind === "medallions" ? "excellence" : step.kind;
      section.append(el("h2", {}, skill ? skill.name : step.skill),
        el("p", {class: `ceremony-title medal ${medal}`}, MEDAL_SIGNS[medal] + " ", words[medal]),
        calledList(view.called, words, championship));
      break;
    }
    case "medal_table":
      section.append(el("h2", {}, words.medals),
        medalTable({provisional: false, table: view.table}, words, championship));
      break;
    case "best_of_nation":
      section.append(el("h2", {}, words.bestOfNation), nationsTable(view.nations, words, championship));
      break;
    case "best_overall":
      section.append(el("h2", {}, words.bestOverall), calledList(view.called, words, championship));
      break;
  }
  return section;
}

function skillName(championship, id) {
  const skill = championship.skills.find((s) => s.id === id);
  return skill ? skill.name : id;
}

function calledList(called, words, championship) {
  if (!called.length) return el("p", {class: "not-awarded"}, words.notAwarded);
  const members = Object.fromEntries(championship.members.map((m) => [m.code, m.name]));
  return el("ul", {class: "called"}, ...called.map((c) => el("li", {"data-competitor": c.competitor},
    el("span", {class: "member", title: members[c.member] || ""}, c.member), " ",
    el("span", {class: "name"}, c.name), " ",
    el("span", {class: "member-name"}, members[c.member] || ""),
    el("span", {class: "of-skill"}, skillName(championship, c.skill)))));
}

function nationsTable(nations, words, championship) {
  const members = Object.fromEntries(championship.members.map((m) => [m.code, m.name]));
  const body = nations.map((nation) => el("tr", {"data-member": nation.member},
    el("td", {}, el("span", {class: "member"}, nation.member), " ",
       el("span", {class: "member-name"}, members[nation.member] || nation.member)),
    el("td", {}, ...nation.called.map((c) => el("div", {"data-competitor": c.competitor},
      el("span", {class: "name"}, c.name), " · ", skillName(championship, c.skill))))));
  const head = el("tr", {}, el("th", {}, words.member), el("th", {}, words.competitor));
  return el("table", {class: "board nations"}, el("thead", {}, head), el("tbody", {}, ...body));
}
