/*
 * Dose confirmation that survives a dropped connection.
 *
 * A confirm form marked data-dose-outcome is sent to the API as JSON with an Idempotency-Key.
 * When the phone is offline, or sending fails on the way, the outcome is kept in localStorage
 * and sent once the phone is back online (same key, so it can never be recorded twice).
 * Without JavaScript, or for anything the API does not take (a late dose with its reason, a
 * time, "missed"), the form posts as a plain HTML form.
 */
(function () {
  "use strict";

  var STORE = "portal.pendingDoseOutcomes";
  var API_OUTCOMES = ["witnessed", "refused", "vomited"];
  var SAVED = "Saved on this phone, will send when you are back online.";

  function readQueue() {
    try {
      var items = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function writeQueue(items) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(items));
      return true;
    } catch (e) {
      return false;
    }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // "9:04am", as the rest of the portal writes times.
  function clock(date) {
    var hours = date.getHours();
    var minutes = ("0" + date.getMinutes()).slice(-2);
    return ((hours + 11) % 12 + 1) + ":" + minutes + (hours < 12 ? "am" : "pm");
  }

  function pageToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function statusArea(form) {
    var area = form && form.querySelector(".dose-confirm__status");
    if (area) {
      return area;
    }
    area = document.getElementById("dose-outcome-status");
    if (!area) {
      area = document.createElement("div");
      area.id = "dose-outcome-status";
      area.className = "banner banner--info";
      area.setAttribute("role", "status");
      var main = document.getElementById("main-content");
      (main || document.body).insertBefore(area, main ? main.firstChild : null);
    }
    return area;
  }

  function say(form, text) {
    var area = statusArea(form);
    area.textContent = text;
    area.hidden = false;
  }

  function send(item) {
    return window.fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": pageToken() || item.token,
        "Idempotency-Key": item.key
      },
      body: JSON.stringify({ outcome: item.outcome, note: item.note })
    });
  }

  function errorText(response, data) {
    if (data && typeof data.detail === "string") {
      return data.detail;
    }
    if (response.status === 403) {
      return "You cannot record this dose. Sign in again, or ask the clinic.";
    }
    return "This dose could not be recorded. Try again, or call the clinic.";
  }

  // What the answer means: "sent", "recorded before" (409), or a plain error. Anything that
  // did not reach a decision (no answer, a server fault) stays queued.
  function settle(response) {
    return response.json().catch(function () { return null; }).then(function (data) {
      if (response.status === 201 || response.status === 200) {
        return { done: true, text: "Sent" };
      }
      if (response.status === 409) {
        // Recorded already, perhaps by someone else: say who, in the API's words if it has them.
        var who = data && (data.recorded_by_name || data.recorded_by);
        if (typeof who === "string" && who) {
          return { done: true, text: "This dose was already recorded by " + who + "." };
        }
        if (data && typeof data.detail === "string") {
          return { done: true, text: data.detail };
        }
        return { done: true, text: "This dose was already recorded." };
      }
      if (response.status === 404 || response.status === 405) {
        return { done: true, text: "This dose could not be sent. Open it again and record it there." };
      }
      if (response.status >= 500) {
        return { done: false };
      }
      return { done: true, text: errorText(response, data) };
    });
  }

  function queue(item) {
    var items = readQueue().filter(function (i) { return i.key !== item.key; });
    items.push(item);
    return writeQueue(items);
  }

  function unqueue(key) {
    writeQueue(readQueue().filter(function (i) { return i.key !== key; }));
  }

  var flushing = false;

  function flush() {
    if (flushing || !navigator.onLine) {
      return;
    }
    var items = readQueue();
    if (!items.length) {
      return;
    }
    flushing = true;
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(settle).then(function (result) {
          if (result.done) {
            unqueue(item.key);
            var form = document.querySelector('form[data-dose-outcome="' + item.dose + '"]');
            say(form, result.text);
          }
        }, function () { /* still no connection: keep it */ });
      });
    });
    chain.then(function () { flushing = false; }, function () { flushing = false; });
  }

  function takenByApi(form) {
    var outcome = form.querySelector("[name=outcome]:checked, input[type=hidden][name=outcome]");
    var time = form.querySelector("[name=taken_time]");
    return (
      !form.hasAttribute("data-late") &&
      outcome && API_OUTCOMES.indexOf(outcome.value) !== -1 &&
      !(time && time.value) &&
      window.fetch && window.localStorage
    );
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-dose-outcome]") || !takenByApi(form)) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var noteField = form.querySelector("[name=note]");
    var item = {
      dose: form.getAttribute("data-dose-outcome"),
      url: form.getAttribute("data-api"),
      outcome: form.querySelector("[name=outcome]:checked, input[type=hidden][name=outcome]").value,
      note: noteField ? noteField.value : "",
      token: pageToken(),
      // One key per confirmation: a retry of the same tap can never record twice.
      key: form.getAttribute("data-idempotency-key") || newKey()
    };
    form.setAttribute("data-idempotency-key", item.key);
    if (button) { button.disabled = true; }
    function keep() {
      if (queue(item)) {
        say(form, SAVED);
      } else {
        if (button) { button.disabled = false; }
        say(form, "This phone could not save it. Try again when you are back online.");
      }
    }
    if (!navigator.onLine) {
      keep();
      return;
    }
    send(item).then(function (response) {
      if (response.status === 404 || response.status === 405) {
        // No API here (or not for this dose): the plain form decides.
        form.submit();
        return null;
      }
      return settle(response).then(function (result) {
        if (!result.done) {
          keep();
          return;
        }
        if (result.text === "Sent") {
          say(form, "Dose recorded for " + form.getAttribute("data-who") + ", " + clock(new Date()));
          return;
        }
        say(form, result.text);
        // A refusal is final for this key: a second try is a new request.
        form.removeAttribute("data-idempotency-key");
        if (button) { button.disabled = false; }
      });
    }, keep);
  });

  window.addEventListener("online", flush);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flush);
  } else {
    flush();
  }
}());
