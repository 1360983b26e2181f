// What the venue crew's pages (screens and ceremony) share: sign-in for organizers, the
// header, and times as the venue's clocks show them.
"use strict";

function message(text) {
  const node = document.getElementById("message");
  node.textContent = text;
  node.hidden = !text;
}

// The signed-in organizer, or null after saying why the page cannot be used.
async function organizerSignIn(words) {
  if (!signIn()) { message(words.noToken); return null; }
  let me;
  try {
    me = await api("/api/me");
  } catch (error) {
    message(error instanceof HttpError ? words.whySignIn : words.offline);
    return null;
  }
  if (me.role !== "organizer") { message(words.organizersOnly); return null; }
  document.getElementById("main").hidden = false;
  return me;
}

function crewHeader(crew, title, onLanguage) {
  document.documentElement.lang = crew.lang;
  document.title = `podium · ${title}`;
  document.getElementById("title").textContent = `${crew.championship.name} · ${title}`;
  document.getElementById("who").textContent = `${crew.words.signedInAs}: ${crew.me.name}`;
  document.getElementById("tools").replaceChildren(
    languagePicker(crew.championship, crew.lang, onLanguage),
    el("button", {type: "button", onclick: signOut}, crew.words.signOut));
}

function venueTime(iso, championship, lang) {
  if (!iso) return "";
  const options = {hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
                   timeZone: championship.timezone || "UTC"};
  try {
    return new Intl.DateTimeFormat(lang, options).format(new Date(iso));
  } catch (error) {
    return new Date(iso).toISOString().slice(11, 19) + " UTC";
  }
}

function skillName(championship, id) {
  const skill = championship.skills.find((s) => s.id === id);
  return skill ? skill.name : id;
}
