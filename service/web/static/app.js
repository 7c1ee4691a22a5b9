/* 疫情公报问答 — staff chat page. Plain ES2020, no build step, no network besides the same-origin API. */
"use strict";

// ───────────── pure helpers (no DOM; required from node for tests) ─────────────

/** Incremental Server-Sent Events parser. push(text chunk) any number of times, then end(). */
function createSSEParser(onEvent) {
  let buf = "";
  let event = "";
  let data = [];
  function line(l) {
    if (l === "") {
      if (data.length) onEvent({ event: event || "message", data: data.join("\n") });
      event = "";
      data = [];
      return;
    }
    if (l[0] === ":") return; // comment / keep-alive
    const i = l.indexOf(":");
    const field = i === -1 ? l : l.slice(0, i);
    let value = i === -1 ? "" : l.slice(i + 1);
    if (value[0] === " ") value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return {
    push(chunk) {
      buf += chunk;
      for (;;) {
        const idx = buf.search(/\r\n|\r|\n/);
        if (idx === -1) break;
        if (buf[idx] === "\r" && idx === buf.length - 1) break; // a "\n" may follow in the next chunk
        const len = buf[idx] === "\r" && buf[idx + 1] === "\n" ? 2 : 1;
        line(buf.slice(0, idx));
        buf = buf.slice(idx + len);
      }
    },
    end() {
      const rest = buf.replace(/\r$/, "");
      buf = "";
      if (rest) line(rest);
      line("");
    },
  };
}

/** Split by code points (Python str indices) into [before, span, after]; offsets are clamped. */
function splitSpan(codePoints, start, end) {
  const n = codePoints.length;
  const s = Math.max(0, Math.min(Number(start) || 0, n));
  const e = Math.max(s, Math.min(Number(end) || 0, n));
  return [codePoints.slice(0, s).join(""), codePoints.slice(s, e).join(""), codePoints.slice(e).join("")];
}

const MARKER_RE = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]/g;
const isDigit = (ch) => ch !== undefined && ch >= "0" && ch <= "9";

/** Occurrences of a figure string in text that are not part of a longer number. */
function figureOccurrences(text, fig) {
  const out = [];
  if (!fig) return out;
  for (let i = text.indexOf(fig); i !== -1; i = text.indexOf(fig, i + 1)) {
    const before = text[i - 1];
    const after = text[i + fig.length];
    if (isDigit(fig[0]) && (isDigit(before) || (before === "." && isDigit(text[i - 2])))) continue;
    if (isDigit(fig[fig.length - 1]) && (isDigit(after) || (after === "." && isDigit(text[i + fig.length + 1])))) continue;
    out.push(i);
  }
  return out;
}

/**
 * Cut the answer text into segments: {type: "text"|"marker"|"ungrounded"|"grounded", text, nums?}.
 * opts.citations: citation numbers that exist (markers for other numbers stay text; omit to link all).
 * Ungrounded figures win over grounded ones; markers win over both.
 */
function segmentAnswer(text, opts = {}) {
  text = text || "";
  const cited = opts.citations ? new Set(opts.citations.map(Number)) : null;
  const spans = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const nums = m[1].split(/\s*[,，、]\s*/).map(Number);
    if (cited && !nums.every((n) => cited.has(n))) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, type: "marker", nums });
  }
  const overlaps = (s, e) => spans.some((x) => s < x.end && x.start < e);
  const byLength = (list) => [...new Set((list || []).filter(Boolean).map(String))].sort((a, b) => b.length - a.length);
  for (const [type, list] of [["ungrounded", opts.ungrounded], ["grounded", opts.grounded]]) {
    for (const fig of byLength(list)) {
      for (const i of figureOccurrences(text, fig)) {
        if (!overlaps(i, i + fig.length)) spans.push({ start: i, end: i + fig.length, type });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const segs = [];
  let pos = 0;
  for (const sp of spans) {
    if (sp.start > pos) segs.push({ type: "text", text: text.slice(pos, sp.start) });
    const seg = { type: sp.type, text: text.slice(sp.start, sp.end) };
    if (sp.nums) seg.nums = sp.nums;
    segs.push(seg);
    pos = sp.end;
  }
  if (pos < text.length) segs.push({ type: "text", text: text.slice(pos) });
  return segs;
}

/** Article indices from the API are 0-based; staff read "第1篇". */
const articleNo = (i) => (Number(i) || 0) + 1;

/** Answer text plus a 来源 list, for the clipboard. */
function formatCopyText(ans) {
  let out = String((ans && ans.answer) || "").trim();
  const cites = (ans && ans.citations) || [];
  if (cites.length) {
    const lines = cites.map((c) => {
      const title = c.title ? ` ${c.title}` : "";
      const quote = String(c.text || c.quote || "").replace(/\s+/g, " ").trim();
      return `[${c.n}] ${c.doc_id} 第${articleNo(c.article)}篇${title}：「${quote}」`;
    });
    out += "\n\n来源：\n" + lines.join("\n");
  }
  return out;
}

function formatLatency(ms) {
  const v = Number(ms);
  if (!isFinite(v) || v < 0) return "";
  return v < 1000 ? `${Math.round(v)} 毫秒` : `${(v / 1000).toFixed(1)} 秒`;
}

/** A readable message from an error body ({detail: str | [{msg}]}, or text). */
function errorDetail(body, fallback) {
  if (body && typeof body === "object") {
    const d = body.detail;
    if (typeof d === "string" && d) return d;
    if (Array.isArray(d) && d.length) return d.map((x) => (x && (x.msg || x.message)) || JSON.stringify(x)).join("；");
    if (d) return JSON.stringify(d);
  }
  if (typeof body === "string" && body.trim() && !/^\s*</.test(body)) return body.trim().slice(0, 300);
  return fallback;
}

function formatDates(dates) {
  const ds = (dates || []).filter(Boolean);
  if (ds.length <= 3) return ds.join("、");
  return `${ds[0]} 至 ${ds[ds.length - 1]}（${ds.length} 个日期）`;
}

if (typeof module !== "undefined" && module.exports) {
  module.exports = { createSSEParser, splitSpan, segmentAnswer, figureOccurrences, formatCopyText, formatLatency,
    errorDetail, formatDates, articleNo };
}

// ───────────── browser ─────────────

const KEY_STORE = "bulletins_api_key";
const MODE_LABEL = { extractive: "抽取式", llm: "大模型" };
const MAX_CHARS = 2000;
const state = { conversationId: null, streaming: false, abort: null, docs: new Map(), turnSeq: 0,
  viewerToken: 0, summaryToken: 0, keyPrompt: null, docListFailed: false };

const $ = (sel, root) => (root || document).querySelector(sel);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** replaceChildren, skipping null/false (replaceChildren would print "null"). */
function fill(node, ...kids) { node.replaceChildren(...kids.flat().filter((k) => k != null && k !== false)); }

class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

function getKey() { try { return localStorage.getItem(KEY_STORE) || ""; } catch { return ""; } }
function setKey(k) { try { localStorage.setItem(KEY_STORE, k); } catch { /* private mode */ } }

/** Ask for the staff key (one dialog shared by concurrent callers). Resolves to the new key or "". */
function askKey(message) {
  if (state.keyPrompt) return state.keyPrompt;
  state.keyPrompt = new Promise((resolve) => {
    const dlg = $("#api-key-dialog");
    const input = $("#api-key-input");
    $("#api-key-msg").textContent = message || "服务器要求员工密钥。";
    input.value = "";
    input.placeholder = getKey() ? "已保存一个密钥，输入新密钥替换" : "";
    const onClose = () => {
      dlg.removeEventListener("close", onClose);
      state.keyPrompt = null;
      const v = dlg.returnValue === "save" ? input.value.trim() : "";
      if (v) setKey(v);
      resolve(v);
    };
    dlg.addEventListener("close", onClose);
    dlg.returnValue = "";
    dlg.showModal();
    input.focus();
  });
  return state.keyPrompt;
}

async function readFailure(res) {
  let body = null;
  try { const t = await res.text(); try { body = JSON.parse(t); } catch { body = t; } } catch { /* ignore */ }
  return errorDetail(body, `请求失败（HTTP ${res.status}）`);
}

/** fetch with the staff key; on 401 asks for a key and retries. */
async function apiFetch(path, opts = {}, tries = 0) {
  const headers = new Headers(opts.headers || {});
  const key = getKey();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  let res;
  try {
    res = await fetch(path, { ...opts, headers });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("网络错误，无法连接服务器。", 0);
  }
  if (res.status === 401 && tries < 3) {
    const detail = await readFailure(res);
    const msg = key ? `密钥无效或已过期（${detail}），请重新输入。` : `服务器要求员工密钥（${detail}）。`;
    if (!(await askKey(msg))) throw new ApiError(`${detail}（未提供密钥）`, 401);
    return apiFetch(path, opts, tries + 1);
  }
  return res;
}

async function apiJSON(path, opts) {
  const res = await apiFetch(path, opts);
  if (!res.ok) throw new ApiError(await readFailure(res), res.status);
  return res.json();
}

// ── views ──
function setView(view) {
  document.body.dataset.view = view;
  for (const b of document.querySelectorAll(".tabs button")) b.setAttribute("aria-pressed", String(b.dataset.view === view));
}

// ── source viewer ──
function loadDoc(docId) {
  if (!state.docs.has(docId)) {
    const p = apiJSON(`/documents/${encodeURIComponent(docId)}`).then((d) => {
      d.codePoints = Array.from(d.original || "");
      return d;
    });
    p.catch(() => state.docs.delete(docId));
    state.docs.set(docId, p);
  }
  return state.docs.get(docId);
}

async function openSource(docId, start, end) {
  const token = ++state.viewerToken;
  const viewer = $("#source-viewer");
  const meta = $("#viewer-meta");
  setView("source");
  viewer.setAttribute("aria-busy", "true");
  meta.textContent = "正在加载原文…";
  try {
    const doc = await loadDoc(docId);
    if (token !== state.viewerToken) return;
    const hasSpan = start != null && end != null;
    const pre = el("pre", { class: "original" });
    if (hasSpan) {
      const [a, b, c] = splitSpan(doc.codePoints, start, end);
      pre.append(a, el("mark", { id: "hl", text: b }), c);
    } else {
      pre.append(doc.original || "");
    }
    viewer.dataset.docId = docId;
    viewer.replaceChildren(pre);
    const art = hasSpan && (doc.articles || []).find((x) => start >= x.start && start < x.end);
    $("#viewer-title").textContent = doc.title || docId;
    meta.textContent = [docId, art ? `第${articleNo(art.index)}篇${art.title ? " " + art.title : ""}` : "",
      art && art.published ? art.published : ""].filter(Boolean).join(" · ");
    if (hasSpan) $("#hl").scrollIntoView({ block: "center" });
    else viewer.scrollTop = 0;
  } catch (err) {
    if (token !== state.viewerToken) return;
    meta.textContent = "";
    viewer.replaceChildren(el("p", { class: "error", role: "alert", text: `无法加载原文：${err.message}` }));
  } finally {
    if (token === state.viewerToken) viewer.removeAttribute("aria-busy");
  }
}

// ── conversation ──
function nearBottom(c) { return c.scrollHeight - c.scrollTop - c.clientHeight < 120; }
function scrollConversation(force) {
  const c = $("#conversation");
  if (force || nearBottom(c)) c.scrollTop = c.scrollHeight;
}

function createTurn(question) {
  const id = ++state.turnSeq;
  const answerEl = el("div", { class: "answer", "aria-live": "polite", "aria-busy": "true" });
  const turn = {
    id, question, answerEl,
    resolvedEl: el("p", { class: "resolved", hidden: true }),
    metaEl: el("div", { class: "answer-meta" }, el("span", { class: "badge pending", text: "正在检索并生成回答…" })),
    body: el("div", { class: "answer-box" }, answerEl),
  };
  turn.reply = el("div", { class: "reply" }, turn.metaEl, turn.body);
  turn.root = el("article", { class: "turn", "data-state": "streaming", "data-turn": id, "aria-label": `问题 ${id}` },
    el("div", { class: "question" }, el("span", { class: "who", "aria-hidden": "true", text: "问" }),
      el("p", { class: "question-text", text: question })),
    turn.resolvedEl, turn.reply);
  $("#empty-state").hidden = true;
  $("#conversation").append(turn.root);
  scrollConversation(true);
  return turn;
}

function showResolved(turn, resolved) {
  if (resolved && resolved.trim() !== turn.question.trim()) {
    turn.resolvedEl.textContent = `理解为：${resolved}`;
    turn.resolvedEl.hidden = false;
  }
}

function openCitation(turn, n) {
  const c = (turn.answer.citations || []).find((x) => Number(x.n) === Number(n));
  if (!c) return;
  for (const li of turn.root.querySelectorAll(".citation")) li.classList.toggle("active", li === c.li);
  openSource(c.doc_id, c.start, c.end);
}

function markerLink(turn, n) {
  return el("a", { class: "marker", href: `#t${turn.id}-c${n}`, "data-n": n, title: `查看引用 ${n} 的原文`,
    onclick: (e) => { e.preventDefault(); openCitation(turn, n); } }, String(n));
}

function renderAnswerText(turn, ans) {
  const figs = ans.figures || [];
  const figCites = new Map(figs.map((f) => [f.text, f.citations || []]));
  const segs = segmentAnswer(ans.answer || "", {
    citations: (ans.citations || []).map((c) => c.n),
    ungrounded: ans.ungrounded_figures || [],
    grounded: figs.filter((f) => f.grounded).map((f) => f.text),
  });
  const nodes = segs.map((s) => {
    if (s.type === "marker") {
      const parts = ["["];
      s.nums.forEach((n, i) => { if (i) parts.push(","); parts.push(markerLink(turn, n)); });
      parts.push("]");
      return el("span", { class: "marker-group" }, parts);
    }
    if (s.type === "ungrounded") {
      return el("span", { class: "ungrounded", title: "此数字未在引用原文中找到，请核实", tabindex: 0, text: s.text });
    }
    if (s.type === "grounded") {
      const cs = figCites.get(s.text) || [];
      return el("span", { class: "grounded", title: cs.length ? `已在引用 ${cs.map((n) => `[${n}]`).join("")} 中核对` : "已在引用原文中核对", text: s.text });
    }
    return s.text;
  });
  turn.answerEl.replaceChildren(...nodes);
}

function renderCitations(turn, cites) {
  const list = el("ol", { class: "citations", "aria-label": "引用来源" });
  for (const c of cites) {
    c.li = el("li", { class: "citation", id: `t${turn.id}-c${c.n}`, "data-n": c.n, "data-doc-id": c.doc_id },
      el("button", { type: "button", class: "cite-btn", title: "在右侧查看原文" },
        el("span", { class: "cite-head" },
          el("span", { class: "cite-n", text: `[${c.n}]` }), " ",
          el("span", { class: "cite-title", text: c.title || `第${articleNo(c.article)}篇` }),
          el("span", { class: "cite-doc", text: ` — ${c.doc_id}` })),
        el("span", { class: "cite-text", text: c.text || c.quote || "" })));
    c.li.addEventListener("click", () => openCitation(turn, c.n));
    list.append(c.li);
  }
  return list;
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return true; } catch { /* fall back */ }
  }
  const ta = el("textarea", { class: "visually-hidden", readonly: true });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  ta.remove();
  return ok;
}

function finishTurn(turn, ans) {
  turn.answer = ans;
  if (ans.conversation_id) state.conversationId = ans.conversation_id;
  showResolved(turn, ans.resolved_question);
  const cites = ans.citations || [];
  fill(turn.metaEl,
    el("span", { class: `badge mode-${ans.mode || "extractive"}`, title: "回答方式",
      text: MODE_LABEL[ans.mode] || ans.mode || "抽取式" }),
    ans.latency_ms != null ? el("span", { class: "latency", text: `用时 ${formatLatency(ans.latency_ms)}` }) : null,
    answersBadge(ans));
  renderAnswerText(turn, ans);
  turn.answerEl.setAttribute("aria-busy", "false");
  if (ans.abstained) {
    turn.body.className = "answer-box abstained";
    // Evidence without an answer: the citations are shown, no figure is asserted.
    const head = (ans.citations || []).length ? "把握不足：未给出数字，仅列出最相关的原文" : "公报中没有找到相关信息";
    turn.body.replaceChildren(el("p", { class: "abstained-head" },
      el("span", { class: "icon", "aria-hidden": "true", text: "ⓘ" }), el("strong", { text: head })),
    turn.answerEl);
  }
  const ung = (ans.ungrounded_figures || []).filter(Boolean);
  const status = el("span", { class: "copy-status small", role: "status" });
  const copyBtn = el("button", { type: "button", class: "copy-answer ghost", title: "复制回答及来源" }, "复制");
  copyBtn.addEventListener("click", async () => {
    const ok = await copyText(formatCopyText(ans));
    status.textContent = ok ? "已复制" : "复制失败，请手动选择文本";
    clearTimeout(copyBtn._t);
    copyBtn._t = setTimeout(() => { status.textContent = ""; }, 2000);
  });
  fill(turn.reply,
    turn.metaEl,
    ans.notice ? el("p", { class: "notice", role: "note" }, el("span", { "aria-hidden": "true", text: "ℹ " }), ans.notice) : null,
    ung.length ? el("div", { class: "ungrounded-warning", role: "alert" },
      el("span", { "aria-hidden": "true", text: "⚠ " }), `以下数字未在引用原文中找到：${ung.join("、")}`) : null,
    turn.body,
    cites.length ? renderCitations(turn, cites) : null,
    el("div", { class: "turn-actions" }, copyBtn, status));
  turn.root.dataset.state = "done";
}

/**
 * "Answers the question" is a different mark from "this figure is in its quote" (the green figures):
 * a figure can be quoted faithfully from a sentence that answers another question.
 */
function answersBadge(ans) {
  if (ans.abstained || !ans.answers_question) return null;
  const conf = ans.confidence != null ? `（把握 ${Math.round(ans.confidence * 100)}%）` : "";
  return el("span", { class: "badge answers", title: "回答针对所问；数字是否出自引文见绿色标记", text: `答所问${conf}` });
}

function failTurn(turn, message) {
  turn.answerEl.setAttribute("aria-busy", "false");
  turn.metaEl.replaceChildren(el("span", { class: "badge error-badge", text: "出错" }));
  turn.reply.append(el("p", { class: "error", role: "alert", text: message }));
  turn.root.dataset.state = "error";
}

function updateComposer() {
  const q = $("#question");
  const n = Array.from(q.value).length;
  const counter = $("#char-count");
  counter.textContent = `${n} / ${MAX_CHARS}`;
  counter.classList.toggle("near-limit", n > MAX_CHARS * 0.9);
  q.disabled = state.streaming;
  $("#ask").disabled = state.streaming || !q.value.trim() || n > MAX_CHARS;
  $("#ask").textContent = state.streaming ? "回答中…" : "提问";
}

function setStreaming(on) {
  state.streaming = on;
  updateComposer();
  if (!on) $("#question").focus();
}

async function ask(question) {
  if (state.streaming || !question) return;
  const turn = createTurn(question);
  const ctrl = new AbortController();
  state.abort = ctrl;
  setStreaming(true);
  const body = { question };
  if (state.conversationId) body.conversation_id = state.conversationId;
  let text = "";
  let finished = false;
  const handle = (ev) => {
    if (finished) return;
    let data;
    try { data = ev.data ? JSON.parse(ev.data) : {}; } catch { data = { text: ev.data, detail: ev.data }; }
    if (ev.event === "meta") {
      if (data.conversation_id) state.conversationId = data.conversation_id;
      showResolved(turn, data.resolved_question);
    } else if (ev.event === "delta") {
      const wasNear = nearBottom($("#conversation"));
      text += data.text || "";
      turn.answerEl.textContent = text;
      if (wasNear) scrollConversation(true);
    } else if (ev.event === "done") {
      finished = true;
      finishTurn(turn, data);
    } else if (ev.event === "error") {
      finished = true;
      failTurn(turn, errorDetail(data, "生成回答时出错。"));
    }
  };
  try {
    const res = await apiFetch("/chat/stream", {
      method: "POST", body: JSON.stringify(body), signal: ctrl.signal,
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    });
    if (!res.ok) throw new ApiError(await readFailure(res), res.status);
    if ((res.headers.get("content-type") || "").includes("application/json")) {
      handle({ event: "done", data: await res.text() });
    } else {
      const parser = createSSEParser(handle);
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(dec.decode(value, { stream: true }));
        if (finished) { reader.cancel().catch(() => {}); break; }
      }
      if (!finished) { parser.push(dec.decode()); parser.end(); }
    }
    if (!finished) failTurn(turn, "连接中断，回答不完整，请重试。");
  } catch (err) {
    if (!finished) failTurn(turn, err && err.name === "AbortError" ? "已取消。" : `出错了：${(err && err.message) || err}`);
  } finally {
    if (state.abort === ctrl) { state.abort = null; setStreaming(false); }
    scrollConversation(false);
  }
}

function newConversation() {
  if (state.abort) { state.abort.abort(); state.abort = null; }
  state.conversationId = null;
  state.streaming = false;
  for (const t of document.querySelectorAll("#conversation .turn")) t.remove();
  $("#empty-state").hidden = false;
  updateComposer();
  setView("chat");
  $("#question").focus();
}

// ── documents & summaries ──
async function loadDocList() {
  const list = $("#doc-list");
  const status = $("#doc-list-status");
  status.replaceChildren("正在加载…");
  try {
    const docs = await apiJSON("/documents");
    state.docListFailed = false;
    list.replaceChildren(...docs.map((d) => {
      const places = d.places || [];
      const dates = formatDates(d.dates) || d.published || "";
      return el("li", { class: "doc-item", "data-doc-id": d.doc_id },
        el("button", { type: "button", class: "doc-open", onclick: () => openSummary(d.doc_id, d.title) },
          el("span", { class: "doc-title", text: d.title || d.doc_id }),
          el("span", { class: "doc-id", text: `${d.doc_id} · ${d.articles ?? "?"} 篇` }),
          dates ? el("span", { class: "doc-dates", text: `日期：${dates}` }) : null,
          places.length ? el("span", { class: "doc-places",
            text: `地点：${places.slice(0, 8).join("、")}${places.length > 8 ? " 等" : ""}` }) : null));
    }));
    status.replaceChildren(docs.length ? `共 ${docs.length} 份公报` : "还没有收录公报。");
  } catch (err) {
    state.docListFailed = true;
    status.replaceChildren(el("span", { class: "error", text: `无法加载公报列表：${err.message} ` }),
      el("button", { type: "button", class: "link-btn", onclick: loadDocList, text: "重试" }));
  }
}

function figureValue(f) {
  return [f.qualifier ? el("span", { class: "qual", text: f.qualifier }) : null,
    `${f.value ?? ""}${f.unit ?? ""}`];
}

async function openSummary(docId, title) {
  const token = ++state.summaryToken;
  setView("docs");
  $("#doc-list-view").hidden = true;
  $("#summary-view").hidden = false;
  $("#summary-title").textContent = title || docId;
  $("#summary-doc-id").textContent = docId;
  const csv = $("#figures-csv");
  csv.href = `/documents/${encodeURIComponent(docId)}/figures.csv`;
  csv.setAttribute("download", `${docId}-figures.csv`);
  $("#view-original").onclick = () => openSource(docId);
  const status = $("#summary-status");
  const arts = $("#summary-articles");
  const tbody = $("#figures-table tbody");
  status.textContent = "正在加载摘要…";
  arts.replaceChildren();
  tbody.replaceChildren();
  $("#figures-empty").hidden = true;
  try {
    const s = await apiJSON(`/documents/${encodeURIComponent(docId)}/summary`);
    if (token !== state.summaryToken) return;
    if (s.title) $("#summary-title").textContent = s.title;
    status.replaceChildren(
      s.mode ? el("span", { class: `badge mode-${s.mode}`, text: `摘要：${MODE_LABEL[s.mode] || s.mode}` }) : "",
      s.notice ? el("span", { class: "notice-inline", text: ` ${s.notice}` }) : "");
    arts.replaceChildren(...(s.articles || []).map((a) => el("section", { class: "summary-article" },
      el("h4", { text: `第${articleNo(a.index)}篇${a.title ? " " + a.title : ""}` }),
      el("ul", null, (a.sentences || []).map((st) => el("li", null,
        el("button", { type: "button", class: "summary-sentence", "data-start": st.start, "data-end": st.end,
          title: "查看原文位置", onclick: () => openSource(docId, st.start, st.end), text: st.text })))))));
    const figs = s.key_figures || [];
    tbody.replaceChildren(...figs.map((f) => {
      const tr = el("tr", { class: "figure-row", "data-start": f.start, "data-end": f.end, title: f.quote || "" },
        el("td", null, el("button", { type: "button", class: "link-btn", text: f.subject || "—" })),
        el("td", { text: f.metric || "" }), el("td", { class: "num" }, figureValue(f)),
        el("td", { text: f.as_of || "" }), el("td", { text: f.place || "" }));
      tr.addEventListener("click", () => openSource(docId, f.start, f.end));
      return tr;
    }));
    $("#figures-empty").hidden = figs.length > 0;
  } catch (err) {
    if (token === state.summaryToken) status.replaceChildren(el("span", { class: "error", text: `无法加载摘要：${err.message}` }));
  }
}

async function downloadCsv(e) {
  e.preventDefault();
  const a = e.currentTarget;
  try {
    const res = await apiFetch(a.getAttribute("href"));
    if (!res.ok) throw new ApiError(await readFailure(res), res.status);
    const url = URL.createObjectURL(await res.blob());
    const tmp = el("a", { href: url, download: a.getAttribute("download") || "figures.csv" });
    document.body.append(tmp);
    tmp.click();
    tmp.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    $("#summary-status").replaceChildren(el("span", { class: "error", text: `下载失败：${err.message}` }));
  }
}

// ── wiring ──
function init() {
  const q = $("#question");
  q.addEventListener("input", updateComposer);
  const submit = () => {
    const text = q.value.trim();
    if (!text || state.streaming || Array.from(text).length > MAX_CHARS) return;
    q.value = "";
    updateComposer();
    ask(text);
  };
  q.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  $("#ask-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  $("#new-conversation").addEventListener("click", newConversation);
  $("#change-key").addEventListener("click", async () => {
    const k = await askKey("输入新的员工密钥，保存后将用于之后的所有请求。");
    if (k && state.docListFailed) loadDocList();
  });
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => setView(b.dataset.view));
  for (const b of document.querySelectorAll(".suggestion")) {
    b.addEventListener("click", () => { q.value = b.textContent; updateComposer(); q.focus(); });
  }
  $("#summary-back").addEventListener("click", () => {
    $("#summary-view").hidden = true;
    $("#doc-list-view").hidden = false;
  });
  $("#figures-csv").addEventListener("click", downloadCsv);
  updateComposer();
  loadDocList();
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
}
