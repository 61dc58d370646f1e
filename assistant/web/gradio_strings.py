"""Gradio's own interface strings (the chat's 👍 / 👎 labels, «Clear», «Loading», upload hints…) in
Vietnamese, whatever language the browser asks for.

Why this way: Gradio 6 translates its built-in strings in the browser, into the browser's language if it
ships that language (about 30, not Vietnamese) and into English otherwise; there is no setting that fixes
the language. What it does offer is `launch(i18n=gr.I18n(...))`: translations the page adds to its own.
A key written flat («chatbot.like») is found before Gradio's nested one, so giving every language Gradio
ships (and English, which Vietnamese browsers fall back to) the same Vietnamese strings makes an office
PC's English or French browser show Vietnamese. Only the groups of the components this app uses are
translated. Some labels are written in Gradio's code, not looked up («Liked», the thumb after a click;
«Fullscreen»): `FIXED_LABELS_JS` replaces those this app shows, in the page. Gradio's own login page,
whose config carries no translations (gradio/routes.py), gets its strings from `login_page`.
"""

from __future__ import annotations

import json

import gradio as gr

# The languages Gradio 6 ships (its frontend's lang/*.json), plus Vietnamese for a future release that
# ships one. tests/test_gradio_strings.py fails when the installed Gradio ships a language not listed.
GRADIO_LOCALES = (
    *("ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko"),
    *("lt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz"),
    *("zh-CN", "zh-TW", "vi"),
)

THUMB_UP = "Câu trả lời đúng"
THUMB_DOWN = "Câu trả lời chưa đúng"
THUMB_UP_CHOSEN = "Đã chọn: câu trả lời đúng"
THUMB_DOWN_CHOSEN = "Đã chọn: câu trả lời chưa đúng"

# Gradio's keys, by group as in its en.json; `{name}` placeholders are filled by Gradio.
VIETNAMESE: dict[str, dict[str, str]] = {
    "chatbot": {
        "edit": "Sửa",
        "retry": "Thử lại",
        "undo": "Hoàn tác",
        "submit": "Gửi",
        "cancel": "Huỷ",
        "like": THUMB_UP,
        "dislike": THUMB_DOWN,
        "clear": "Xoá cuộc trò chuyện",
        "complete": "Xong",
        "copy_message": "Sao chép tin nhắn",
        "copied_message": "Đã sao chép tin nhắn",
    },
    "common": {
        "built_with": "tạo bằng",
        "built_with_gradio": "Tạo bằng Gradio",
        "clear": "Xoá",
        "download": "Tải xuống",
        "download_all": "Tải xuống tất cả",
        "edit": "Sửa",
        "empty": "Trống",
        "error": "Lỗi",
        "hosted_on": "Đặt tại",
        "loading": "Đang tải",
        "logo": "biểu trưng",
        "or": "hoặc",
        "remove": "Bỏ",
        "runs": "Các lần chạy",
        "runs_description": "Xem các lần chạy lưu trong trình duyệt này",
        "back_to_app": "Ứng dụng",
        "back_to_app_description": "Quay lại ứng dụng",
        "settings": "Cài đặt",
        "share": "Chia sẻ",
        "submit": "Gửi",
        "undo": "Hoàn tác",
        "no_devices": "Không tìm thấy thiết bị",
        "language": "Ngôn ngữ",
        "display_theme": "Giao diện",
        "pwa": "Ứng dụng web cài được (PWA)",
        "progress": "Tiến độ",
        "record": "Ghi",
        "stop_recording": "Dừng ghi",
        "screen_studio": "Quay màn hình",
        "share_gradio_tab": "[Chia sẻ] Thẻ Gradio",
        "run": "Chạy",
    },
    "upload_text": {
        "click_to_upload": "Bấm để tải lên",
        "drop_audio": "Thả tệp âm thanh vào đây",
        "drop_csv": "Thả tệp CSV vào đây",
        "drop_file": "Thả tệp vào đây",
        "drop_image": "Thả ảnh vào đây",
        "drop_video": "Thả video vào đây",
        "drop_gallery": "Thả ảnh hoặc video vào đây",
        "paste_clipboard": "Dán từ bộ nhớ tạm",
    },
    "file": {"uploading": "Đang tải lên..."},
    "dropdown": {"dropdown": "Danh sách chọn"},
    "radio": {"radio": "Lựa chọn"},
    "checkbox": {"checkbox": "Ô đánh dấu", "checkbox_group": "Nhóm ô đánh dấu"},
    "number": {"number": "Số"},
    "dataframe": {
        "incorrect_format": "Sai định dạng: chỉ nhận tệp CSV và TSV",
        "new_column": "Thêm cột",
        "new_row": "Dòng mới",
        "add_row_above": "Thêm dòng phía trên",
        "add_row_below": "Thêm dòng phía dưới",
        "delete_row": "Xoá dòng",
        "delete_column": "Xoá cột",
        "add_column_left": "Thêm cột bên trái",
        "add_column_right": "Thêm cột bên phải",
        "sort_column": "Sắp xếp cột",
        "sort_ascending": "Sắp xếp tăng dần",
        "sort_descending": "Sắp xếp giảm dần",
        "drop_to_upload": "Thả tệp CSV hoặc TSV vào đây để nhập vào bảng",
        "import_empty_file": "Tệp vừa thả không có nội dung.",
        "import_no_column_names": "Tệp vừa thả không có tên cột.",
        "import_ragged_row": "Dòng {line} của tệp có {fields} trường, dòng tiêu đề có {columns}.",
        "import_static_columns": "Không nhập được vào bảng có cột chỉ đọc.",
        "import_fixed_columns": "Bảng này nhận đúng {expected} cột, tệp có {actual}.",
        "import_fixed_rows": "Bảng này nhận đúng {expected} dòng, tệp có {actual}.",
        "clear_sort": "Bỏ sắp xếp",
        "filter": "Lọc",
        "clear_filter": "Bỏ bộ lọc",
    },
    "blocks": {
        "connection_can_break": (
            "Trên điện thoại, kết nối có thể mất khi thẻ này bị ẩn hoặc máy ngủ, và bạn mất chỗ trong hàng chờ."
        ),
        "long_requests_queue": "Đang có nhiều yêu cầu chờ xử lý.",
        "lost_connection": "Mất kết nối vì đã rời trang. Đang vào lại hàng chờ...",
        "waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại.",
    },
    "status": {"queue_position": "Đang chờ: {position}/{size}"},
}


def flat_strings() -> dict[str, str]:
    """`VIETNAMESE` as Gradio's dotted keys («chatbot.like»): flat keys win over its nested English."""
    return {f"{group}.{key}": text for group, strings in VIETNAMESE.items() for key, text in strings.items()}


def vietnamese_gradio_strings() -> gr.I18n:
    """For `launch(i18n=…)`: the Vietnamese strings under every language the browser may resolve to."""
    strings = flat_strings()
    return gr.I18n(**{locale: dict(strings) for locale in GRADIO_LOCALES})


# Labels written in Gradio's code, not looked up, so `launch(i18n=…)` cannot reach them: the thumb a user
# clicked («Liked»), and the ones an en-US browser showed on this app's page (chat, table, tabs, upload).
FIXED_LABELS = {
    "Liked": THUMB_UP_CHOSEN,
    "Disliked": THUMB_DOWN_CHOSEN,
    "chatbot conversation": "Cuộc trò chuyện",
    "Loading response": "Đang soạn câu trả lời",
    "Scroll down": "Cuộn xuống",
    "Fullscreen": "Toàn màn hình",
    "Exit fullscreen mode": "Thoát toàn màn hình",
    "Copy table data": "Sao chép dữ liệu bảng",
    "Table actions": "Thao tác với bảng",
    "Open cell menu": "Mở menu của ô",
    "More tabs": "Các thẻ khác",
    "File upload": "Tải tệp lên",
}

# Installed once on load: rewrites those labels (aria-label, title) now and after every re-render. Gradio
# sets an attribute again only when its own value changes, so a rewritten label stays until then.
FIXED_LABELS_JS = """() => {
  if (window.__fixedLabelsInstalled) return;
  window.__fixedLabelsInstalled = true;
  const shown = FIXED_LABELS;
  const names = ['aria-label', 'title'];
  const fix = (element) => {
    for (const name of names) {
      const value = element.getAttribute(name);
      if (value !== null && Object.hasOwn(shown, value)) element.setAttribute(name, shown[value]);
    }
  };
  const sweep = (root) => root.querySelectorAll('[aria-label], [title]').forEach(fix);
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') fix(record.target);
      else record.addedNodes.forEach((node) => { if (node.nodeType === 1) { fix(node); sweep(node); } });
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: names});
  sweep(document.body);
}""".replace("FIXED_LABELS", json.dumps(FIXED_LABELS, ensure_ascii=False), 1)
