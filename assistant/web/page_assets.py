"""Stylesheet and the two browser-side scripts of the app.

The CSS is passed to `launch(css=…)` (Gradio 6). One script copies the latest answer as plain text with
its numbered sources: Gradio's own copy buttons would copy the message's Markdown/HTML source, which is
useless in a report or an e-mail. The other makes the ✕ of the "Thời gian theo câu hỏi" chip inside an
answer click the real "Bỏ thời gian theo câu hỏi" button: the chatbot sanitises message HTML (no
`onclick`, no buttons), so the chip can only be a link that a page-level listener catches.
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

# The last answer bubble's text, then "Nguồn:" and one line per card of that answer's turn (found from
# the turn number in the bubble's first [n] link). The clipboard API needs a secure context (localhost
# is one, plain http on the network is not), hence the execCommand fallback.
COPY_ANSWER_JS = """() => {
  const bots = document.querySelectorAll('#cuoc-tro-chuyen .message.bot');
  if (!bots.length) return;
  const bubble = bots[bots.length - 1];
  let text = bubble.innerText.trim();
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
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text);
  } else {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
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
