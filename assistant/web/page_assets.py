"""Stylesheet and the browser-side scripts of the app.

The CSS is passed to `launch(css=…)` (Gradio 6). One script copies the latest answer as plain text with
its numbered sources: Gradio's own copy buttons would copy the message's Markdown/HTML source, which is
useless in a report or an e-mail. The chatbot sanitises message HTML (no `onclick`, no buttons), so every
control inside an answer is a plain link that a page-level listener, installed once on load, catches:
the ✕ of the "Thời gian theo câu hỏi" chip clicks the real "Bỏ thời gian theo câu hỏi" button
(`CHIP_CONTROL_JS`); a `[n]` flashes the card it scrolls to, a refusal's nearest article opens in the
sources panel, a follow-up or example question is typed into the box and sent, and "Xem toàn văn"
scrolls to the first quoted span (`PAGE_LINKS_JS`). No script ever reads article text as markup: they
only move text that the server already escaped, through `value` and `innerText`.
"""

from __future__ import annotations

CSS = """
#che-do { color: var(--body-text-color-subdued); margin-top: -8px; }
#nguon-trich-dan { max-height: 78vh; overflow-y: auto; scroll-behavior: smooth; }
.nguon-cau-hoi { font-weight: 600; margin: 12px 0 6px; color: var(--body-text-color-subdued); }
.nguon { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
         margin-bottom: 10px; background: var(--background-fill-primary); }
.nguon-tieu-de { font-weight: 600; }
.nguon-so { color: var(--color-accent); }
.nguon-ngay { color: var(--body-text-color-subdued); font-size: 0.9em; margin: 2px 0; }
.nguon-link { font-size: 0.85em; word-break: break-all; }
.nguon-trich { margin: 8px 0; padding: 4px 0 4px 10px; border-left: 3px solid #e3b341; }
.toan-van summary { cursor: pointer; color: var(--color-accent); }
.toan-van-noi-dung { max-height: 360px; overflow-y: auto; font-size: 0.92em; padding-right: 6px; }
.nguon-trong { color: var(--body-text-color-subdued); }
mark { background: #fff0a8; color: inherit; padding: 0 1px; }
.nguon-cach { color: var(--body-text-color-subdued); }
.nguon-mo-dau { margin: 6px 0; font-size: 0.92em; }
.nguon-gan-nhat:has(details[open]) .nguon-mo-dau { display: none; }  /* the full text repeats it */
/* The card a [n] or a nearest article's link leads to flashes once (class added by PAGE_LINKS_JS). */
@keyframes nguon-nhay { 0%, 60% { box-shadow: 0 0 0 3px #e3b341; background: #fff8d6; }
                        100% { box-shadow: 0 0 0 0 transparent; } }
.nguon.nguon-nhay { animation: nguon-nhay 1.6s ease-out; }
a.bai-gan-nhat { text-decoration: underline dotted; cursor: pointer; }
.goi-y-hoi-tiep { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; margin-top: 4px;
                  font-size: 0.92em; }
.goi-y-hoi-tiep > span { color: var(--body-text-color-subdued); }
a.hoi-tiep { display: inline-block; padding: 2px 10px; border: 1px solid var(--border-color-primary);
             border-radius: 999px; text-decoration: none; color: inherit; cursor: pointer;
             white-space: normal; text-align: left; }
a.hoi-tiep:hover, a.hoi-tiep:focus { border-color: var(--color-accent); background: var(--background-fill-secondary); }
.cau-hoi-mau-nhan { font-size: 0.9em; color: var(--body-text-color-subdued); margin: 4px 0; }
.cau-hoi-mau-khung ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.thong-bao-sao-chep { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); z-index: 1000;
                      padding: 8px 16px; border-radius: 8px; background: #1f2937; color: #fff;
                      box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25); font-size: 0.95em; }
a.trich-dan { text-decoration: none; font-weight: 600; }
strong.tra-loi-ngan { font-size: 1.05em; }
.chip-thoi-gian { display: inline-flex; align-items: center; gap: 2px; padding: 0 2px 0 8px;
                  border: 1px solid #e3b341; border-radius: 999px; background: #fff8d6; color: inherit; }
a.bo-thoi-gian { text-decoration: none; cursor: pointer; font-weight: 700; padding: 0 5px;
                 border-radius: 999px; color: inherit; }
a.bo-thoi-gian:hover, a.bo-thoi-gian:focus { background: #e3b341; }
/* The glyph is CSS content, so "Sao chép kèm nguồn" (innerText) does not copy it. */
a.bo-thoi-gian::after { content: "✕"; }
"""

# The last answer bubble's text without its NOT_COPIED parts (the follow-ups: see answer_message),
# then "Nguồn:" and one line per card of that answer's turn (found from the turn number in the bubble's
# first [n] link). The clipboard API needs a secure context (localhost is one, plain http on the network
# is not), hence the execCommand fallback. A toast says it worked; `window.__copiedAnswer` keeps the text.
COPY_ANSWER_JS = """() => {
  const toast = (message) => {
    document.querySelectorAll('.thong-bao-sao-chep').forEach(old => old.remove());
    const note = document.createElement('div');
    note.className = 'thong-bao-sao-chep';
    note.setAttribute('role', 'status');
    note.textContent = message;
    document.body.appendChild(note);
    setTimeout(() => note.remove(), 2500);
  };
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  if (!bots.length) { toast('Chưa có câu trả lời để sao chép.'); return; }
  const bubble = bots[bots.length - 1];
  let text = bubble.innerText;
  bubble.querySelectorAll('.ngoai-ban-sao').forEach(part => { text = text.replace(part.innerText, ''); });
  text = text.replace(/\\n{3,}/g, '\\n\\n').trim();
  const link = bubble.querySelector('a[href^="#nguon-"]');
  const turn = link ? link.getAttribute('href').split('-')[1] : null;
  const section = turn ? document.getElementById('luot-' + turn) : null;
  if (section) {
    const lines = [...section.querySelectorAll('.nguon')].map(card => [
      card.querySelector('.nguon-tieu-de')?.innerText.trim(),
      card.querySelector('.nguon-ngay')?.innerText.trim(),
      card.querySelector('a.nguon-link')?.href,
    ].filter(Boolean).join(' — '));
    if (lines.length) text += '\\n\\nNguồn:\\n' + lines.join('\\n');
  }
  window.__copiedAnswer = text;
  const copied = () => toast('Đã sao chép câu trả lời kèm nguồn.');
  const fallback = () => {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    done ? copied() : toast('Không sao chép được: trình duyệt chặn bộ nhớ tạm.');
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(copied, fallback);
  } else {
    fallback();
  }
}"""


# Installed once per page on load, like CHIP_CONTROL_JS. A [n] link keeps its own navigation (the hash
# scrolls the panel to the card) and the card flashes; a refusal's nearest article also opens its full
# text. A follow-up or example link is not followed: its text goes into the question box (an `input`
# event so Gradio sees the value) and "Gửi" is clicked.
PAGE_LINKS_JS = """() => {
  if (window.__pageLinksInstalled) return;
  window.__pageLinksInstalled = true;
  const flash = (card) => {
    card.classList.remove('nguon-nhay');
    void card.offsetWidth;  // restart the animation on a second click
    card.classList.add('nguon-nhay');
    setTimeout(() => card.classList.remove('nguon-nhay'), 1700);
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.trich-dan, a.bai-gan-nhat, a.hoi-tiep');
    if (!link) return;
    if (link.classList.contains('hoi-tiep')) {
      event.preventDefault();
      event.stopPropagation();
      const box = document.querySelector('#cau-hoi textarea');
      const send = document.querySelector('#gui');
      const button = send && (send.tagName === 'BUTTON' ? send : send.querySelector('button'));
      if (!box || !button) return;
      box.value = link.innerText.trim();
      box.dispatchEvent(new Event('input', {bubbles: true}));
      setTimeout(() => button.click(), 50);
      return;
    }
    const card = document.getElementById((link.getAttribute('href') || '').slice(1));
    if (!card) return;
    if (link.classList.contains('bai-gan-nhat')) {
      const details = card.querySelector('details.toan-van');
      if (details) details.open = true;
    }
    card.scrollIntoView({block: 'start', behavior: 'smooth'});
    flash(card);
  }, true);
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (!details.matches || !details.matches('details.toan-van') || !details.open) return;
    const box = details.querySelector('.toan-van-noi-dung');
    const first = box && box.querySelector('mark');
    if (!first) return;
    box.scrollTop += first.getBoundingClientRect().top - box.getBoundingClientRect().top - 24;
  }, true);
}"""


# Installed once per page on load. Clicks on the chip's ✕ (a link inside a chat bubble) are caught before
# the link navigates and passed to the "Bỏ thời gian theo câu hỏi" button, whose Gradio event re-asks.
CHIP_CONTROL_JS = """() => {
  if (window.__chipControlInstalled) return;
  window.__chipControlInstalled = true;
  document.addEventListener('click', (event) => {
    const control = event.target.closest && event.target.closest('#cuoc-tro-chuyen a.bo-thoi-gian');
    if (!control) return;
    event.preventDefault();
    event.stopPropagation();
    const target = document.getElementById('bo-thoi-gian');
    const button = target && (target.tagName === 'BUTTON' ? target : target.querySelector('button'));
    if (button) button.click();
  }, true);
}"""
