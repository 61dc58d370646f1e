"""Stylesheet and the one browser-side script of the app.

The CSS is passed to `launch(css=…)` (Gradio 6). The script copies the latest answer as plain text with
its numbered sources: Gradio's own copy buttons would copy the message's Markdown/HTML source, which is
useless in a report or an e-mail.
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
