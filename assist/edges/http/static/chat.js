/* Chat page inside the widget iframe. Everything the consumer types or the server returns is inserted as text
 * (textContent), never as HTML. */
(function () {
  "use strict";
  var sessionId = null;
  var log, form, input, send;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function showUser(text) { log.appendChild(el("div", "msg user", text)); scroll(); }

  function showAnswer(a) {
    var box = el("div", "msg bot" + (a.refused ? " refusal" : "") + (a.scam ? " scam" : "") +
                 (a.scam && a.scam.urgent ? " urgent" : ""));
    box.setAttribute("data-kind", a.kind || "answer");
    if (a.scam) {
      var names = a.scam.schemes.map(function (s) { return s.name; }).join("、");
      box.appendChild(el("div", "verdict", (a.scam.urgent ? "【请先处理】" : "【疑似骗局】") + names));
    }
    box.appendChild(el("div", "text", a.text));
    if (a.citations && a.citations.length) {
      box.appendChild(el("div", "cites", "依据："));
      var list = el("ul", "cites");
      a.citations.forEach(function (c) {
        list.appendChild(el("li", "cite", "《" + c.title + "》" + (c.citation && c.citation !== c.title ? "（" + c.citation + "）" : "")));
      });
      box.appendChild(list);
    }
    log.appendChild(box);
    box.scrollIntoView({ block: "start" });      // people read an answer from its first line
  }

  function showError(text) { log.appendChild(el("div", "msg bot error", text)); scroll(); }

  function submit(ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    showUser(text);
    input.value = "";
    send.disabled = true;
    fetch("/v1/consumer/messages", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: sessionId, message: text })
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status === 200) { sessionId = res.body.session_id; showAnswer(res.body); }
      else if (res.status === 429) { showError("发送太频繁了，请稍等" + (res.body.retry_after_s || 10) + "秒再试。"); }
      else { showError((res.body && res.body.error) || "暂时无法回答，请稍后再试。"); }
    }).catch(function () {
      showError("网络连接出了问题，请稍后再试。");
    }).then(function () { send.disabled = false; input.focus(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    log = document.getElementById("log");
    form = document.getElementById("ask");
    input = document.getElementById("text");
    send = document.getElementById("send");
    form.addEventListener("submit", submit);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { submit(e); }
    });
    document.getElementById("close").addEventListener("click", function () {
      window.parent.postMessage({ type: "assist-close" }, "*");
    });
  });
})();
