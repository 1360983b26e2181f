// The chief's panel's marking forms: each form's state, its signers (signed or not, when; a
// voided signature shown as such), what is missing, a printable copy, and Reopen with a
// reason for a signed form. "Final" names the forms still unsigned.
"use strict";

const formsPanel = {forms: [], reopening: null, reason: "", notice: "", focus: false};
const FORMS_EVERY_MS = 3000;
const FORM_STATES = {open: "formOpen", signing: "formSigning", signed: "formSigned"};

function skillForms(rest = "") {
  return `/api/skills/${encodeURIComponent(panel.skill)}/forms${rest}`;
}

async function loadPanelForms() {
  if (!panel.me || !panel.skill || panel.me.role === "expert") return;
  try {
    formsPanel.forms = await api(skillForms());
  } catch (error) {
    formsPanel.notice = error instanceof HttpError ? error.message : words.offline;
  }
  renderForms();
}

function renderForms() {
  const unsigned = formsPanel.forms.filter((f) => f.state !== "signed").map((f) => f.form);
  const head = el("tr", {}, el("th", {}, words.formsTitle), el("th", {}, words.state),
    el("th", {}, words.signers), el("th", {}, words.missingCount.replace(": {n}", "")),
    el("th", {}));
  const rows = formsPanel.forms.map((form) => el("tr",
    {"data-form": form.form, "data-state": form.state, class: `form-row ${form.state}`},
    el("td", {}, `${form.form} · ${form.name}`),
    el("td", {}, el("span", {class: `badge form-state ${form.state}`}, words[FORM_STATES[form.state]])),
    el("td", {class: "signers"}, ...signerItems(form)),
    el("td", {class: "missing", title: form.missing.map((m) => `${m.competitor} ${m.aspect}`).join(", ")},
      form.missing.length ? String(form.missing.length) : words.nothingMissing),
    el("td", {}, printButton(form), " ", form.state === "signed" ? reopenControl(form) : "")));
  document.getElementById("forms").replaceChildren(el("h2", {}, words.formsTitle),
    el("p", {class: "notice", role: "alert"}, formsPanel.notice),
    el("p", {class: unsigned.length ? "unsigned-forms" : "unsigned-forms none"},
      unsigned.length ? say(words.unsignedForms, {forms: unsigned.join(", ")}) : words.formSigned),
    el("table", {class: "grid forms-table"}, el("thead", {}, head), el("tbody", {}, ...rows)));
  const reason = document.getElementById("reopen-reason");
  if (reason && formsPanel.focus) reason.focus();
}

function signerItems(form) {
  const signed = form.signers.map((s) => el("div", {class: s.signed_at ? "signer signed" : "signer",
    "data-person": s.person}, `${s.name}: `, s.signed_at ? `✓ ${when(s.signed_at)}` : words.notSigned));
  const voided = form.void.slice(-form.signers.length).map((v) => el("div",
    {class: "signer void", "data-person": v.person}, `${v.name}: `,
    el("s", {}, when(v.signed_at)), ` (${words.voidSignature})`));
  return form.state === "open" ? [...signed, ...voided] : signed;
}

// The printable form, fetched with the panel's sign-in and opened as a page of its own.
function printButton(form) {
  return el("button", {type: "button", class: "print", onclick: async () => {
    const response = await fetch(skillForms(`/${encodeURIComponent(form.form)}/print`),
      {headers: {Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY) || ""}`}});
    const url = URL.createObjectURL(new Blob([await response.text()], {type: "text/html"}));
    window.open(url, "_blank");
  }}, words.printForm);
}

function reopenControl(form) {
  if (formsPanel.reopening !== form.form) {
    return el("button", {type: "button", class: "reopen", onclick: () => {
      formsPanel.reopening = form.form;
      formsPanel.focus = true;
      renderForms();
    }}, words.reopen);
  }
  const input = el("input", {type: "text", id: "reopen-reason", placeholder: words.reopenReason,
                             "aria-label": words.reopenReason, value: formsPanel.reason});
  input.addEventListener("input", () => { formsPanel.reason = input.value; });
  input.addEventListener("blur", () => { formsPanel.focus = false; });
  const confirm = async () => {
    if (!formsPanel.reason.trim()) return input.focus();
    const reason = formsPanel.reason;
    formsPanel.reopening = null;
    formsPanel.reason = "";
    try {
      await api(skillForms(`/${encodeURIComponent(form.form)}/reopen`), {method: "POST", body: {reason}});
      formsPanel.notice = "";
    } catch (error) {
      formsPanel.notice = error instanceof HttpError ? refusalText(error.status, error.problem, words) : words.offline;
    }
    await loadPanelForms();
  };
  input.addEventListener("keydown", (event) => event.key === "Enter" && confirm());
  return el("span", {class: "unlocking"}, input,
    el("button", {type: "button", class: "reopen primary", onclick: confirm}, words.reopen),
    el("button", {type: "button", onclick: () => { formsPanel.reopening = null; renderForms(); }},
       words.cancel));
}

function startForms() {
  if (!panel.me) return setTimeout(startForms, 300);
  loadPanelForms();
  setInterval(loadPanelForms, FORMS_EVERY_MS);
}

startForms();
