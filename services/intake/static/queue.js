// The tablet's outbox of marks. Each entry gets its id here, when the expert makes it, and is
// written to localStorage before it is sent, so neither a lost answer nor a reload can turn it
// into two marks: it is resent with the same id until the log has it (201, or 200 duplicate)
// or refuses it for good (4xx, shown next to the entry). Network errors and 5xx keep it queued
// and retried with backoff; entries go out in the order they were made. A revoked sign-in stops
// the sending altogether: the entries wait, shown, until the expert signs in with a new card
// (a new page load), and then go out with their ids, so none is stored twice.
"use strict";

const QUEUE_KEY = "podium.queue";
const DEVICE_KEY = "podium.device";
const COUNTER_KEY = "podium.counter";

function deviceId() {
  let device = localStorage.getItem(DEVICE_KEY);
  if (!device) {
    // getRandomValues works on plain http too (randomUUID needs a secure context).
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    device = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(DEVICE_KEY, device);
  }
  return device;
}

function nextMarkId() {
  const counter = Number(localStorage.getItem(COUNTER_KEY) || "0") + 1;
  localStorage.setItem(COUNTER_KEY, String(counter));
  return `t-${deviceId()}-${counter}`;  // within A-Za-z0-9._:- and far below 64 characters
}

class MarkQueue {
  constructor(expert, onChange, onStored) {
    this.expert = expert;
    this.onChange = onChange;
    this.onStored = onStored;
    this.attempt = 0;
    this.timer = null;
    this.flushing = false;
    this.signInNeeded = false;
    this.revoked = false;
    window.addEventListener("online", () => {
      this.attempt = 0;  // the network is back: begin the backoff afresh
      this.flush();
    });
    // Another tab of this tablet may change the queue too.
    window.addEventListener("storage", (event) => event.key === QUEUE_KEY && this.onChange());
  }

  all() {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
  }

  save(entries) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(entries));
    this.onChange();
  }

  mine() {
    return this.all().filter((e) => e.expert === this.expert);
  }

  waiting() {
    return this.mine().filter((e) => e.state === "waiting").length;
  }

  // The newest entry still in the queue for an aspect of a competitor, if any.
  latest(competitor, aspect) {
    return this.mine().filter((e) => e.competitor === competitor && e.aspect === aspect).pop();
  }

  add(competitor, aspect, value) {
    const entry = {id: nextMarkId(), expert: this.expert, competitor, aspect, value,
                   state: "waiting", made: Date.now()};
    // A new entry replaces an earlier refusal of the same aspect; earlier waiting ones stay
    // and go first, so the newest is the one that stands.
    const kept = this.all().filter((e) => !(e.state === "refused" && e.expert === this.expert &&
      e.competitor === competitor && e.aspect === aspect));
    this.save([...kept, entry]);
    this.flush();
    return entry;
  }

  dismiss(id) {
    this.save(this.all().filter((e) => e.id !== id));
  }

  update(id, change) {
    this.save(this.all().map((e) => (e.id === id ? Object.assign(e, change) : e)));
  }

  async flush() {
    if (this.flushing || this.revoked) return;
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      for (let next = this.first(); next; next = this.first()) {
        if (!(await this.send(next))) {
          if (!this.revoked) this.retryLater();
          return;
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  first() {
    return this.mine().find((e) => e.state === "waiting");
  }

  // True when the entry is settled (stored or refused), false when it must be tried again.
  async send(entry) {
    const body = {id: entry.id, competitor: entry.competitor, aspect: entry.aspect,
                  value: entry.value};
    try {
      const stored = await api("/api/marks", {method: "POST", body});
      this.signInNeeded = false;
      this.attempt = 0;
      this.dismiss(entry.id);
      this.onStored(entry, stored.seq);
      return true;
    } catch (error) {
      this.signInNeeded = error instanceof HttpError && error.status === 401;
      if (isRevoked(error)) {
        this.revoked = true;
        this.onChange();
        return false;  // kept as it is, with its id, for the next sign-in
      }
      if (!(error instanceof HttpError) || error.status >= 500 || error.status === 408 ||
          error.status === 429 || error.status === 401) {
        return false;  // the network, the log, or an expired sign-in: keep it, try again
      }
      this.update(entry.id, {state: "refused", status: error.status, problem: error.problem});
      return true;
    }
  }

  retryLater() {
    // 1 s doubling up to 30 s, with jitter so a room of tablets does not come back at once.
    const delay = Math.min(30000, 1000 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.timer = setTimeout(() => this.flush(), delay);
  }
}
