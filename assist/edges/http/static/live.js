// Live call demo: the microphone as 16 kHz 16-bit PCM frames over the staff WebSocket; every pushed turn and its
// assistance is shown as it comes. Everything from the server is inserted as text, never as HTML.
(function () {
  "use strict";
  var LEVEL = {low: "低", medium: "中", high: "高"};
  var CATEGORY = {intermediary: "疑似第三方代理", coached: "疑似受人指导", victim: "可能是代理受害者", none: "未见异常"};
  var ws = null, ctx = null, node = null, stream = null;
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function status(t) { $("status").textContent = t; }
  function who() { var r = document.querySelector("input[name=who]:checked"); return r ? r.value : "C"; }

  function show(msg) {
    if (msg.type === "ready") { status("已连接，请开始说话（会话 " + msg.session_id + "）"); return; }
    if (msg.type === "error") { status("错误：" + msg.message); return; }
    if (msg.type === "stopped") { status("通话结束，共 " + msg.turns + " 轮"); return; }
    if (msg.type !== "assistance") return;
    var t = msg.turn, a = msg.assistance, r = a.risk;
    var box = el("div", "turn " + t.speaker);
    box.appendChild(el("b", "", (t.speaker === "caller" ? "来电人" : "坐席") + "：")); 
    box.appendChild(el("span", "", t.text));
    $("log").insertBefore(box, $("log").firstChild);
    var risk = $("risk"); risk.textContent = "";
    risk.appendChild(el("span", "badge " + r.level, "风险 " + LEVEL[r.level]));
    risk.appendChild(el("span", "", CATEGORY[r.category] || r.category));
    (r.evidence || []).slice(0, 3).forEach(function (e) {
      risk.appendChild(el("div", "note", e.signal_id + " " + e.signal_name + "：“" + e.quote + "”"));
    });
    (a.suggestions || []).forEach(function (s) { box.appendChild(el("div", "sugg", "建议：" + s.text)); });
    if (!(a.suggestions || []).length && a.message) box.appendChild(el("div", "sugg", a.message));
  }

  function start() {
    $("start").disabled = true;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/calls/live";
    ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onmessage = function (ev) { try { show(JSON.parse(ev.data)); } catch (err) { status("无法解析服务器消息"); } };
    ws.onclose = function () { status("连接已关闭"); cleanup(); };
    ws.onopen = function () {
      ws.send(JSON.stringify({type: "start", sample_rate: 16000}));
      navigator.mediaDevices.getUserMedia({audio: {channelCount: 1, echoCancellation: true}}).then(function (s) {
        stream = s;
        ctx = new (window.AudioContext || window.webkitAudioContext)({sampleRate: 16000});
        var src = ctx.createMediaStreamSource(s);
        node = ctx.createScriptProcessor(4096, 1, 1);
        node.onaudioprocess = function (e) {
          if (!ws || ws.readyState !== 1) return;
          var x = e.inputBuffer.getChannelData(0), buf = new ArrayBuffer(1 + 2 * x.length), v = new DataView(buf);
          v.setUint8(0, who().charCodeAt(0));
          for (var i = 0; i < x.length; i++) { var s2 = Math.max(-1, Math.min(1, x[i])); v.setInt16(1 + 2 * i, s2 < 0 ? s2 * 0x8000 : s2 * 0x7fff, true); }
          ws.send(buf);
        };
        src.connect(node); node.connect(ctx.destination);
        $("stop").disabled = false;
      }).catch(function (err) { status("无法使用麦克风：" + err.message); });
    };
  }
  function cleanup() {
    if (node) { node.disconnect(); node = null; }
    if (ctx) { ctx.close(); ctx = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    $("start").disabled = false; $("stop").disabled = true;
  }
  function stop() {
    if (node) { node.disconnect(); node = null; }
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify({type: "stop"})); status("正在识别最后一句…"); }
    $("stop").disabled = true;
  }
  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", stop);
})();
