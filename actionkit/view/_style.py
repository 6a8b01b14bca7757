"""The look of every HTML view: one style sheet (after Open WebUI's light theme) and inline icons.

Icons are inline SVG, never emoji: a notebook's browser may have no emoji font.
"""

from __future__ import annotations

STYLE = """<style>
.akv{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif,"Apple Color Emoji",
"Segoe UI Emoji","Noto Color Emoji";font-size:14px;
color:#171717;line-height:1.5;max-width:820px;border:1px solid #e5e7eb;border-radius:14px;
padding:10px 14px;margin:4px 0;background:#fff;box-sizing:border-box;overflow-wrap:anywhere}
.akv *{box-sizing:border-box}
.akv .ak-head{display:flex;gap:8px;align-items:center;color:#6b7280;font-size:12px;flex-wrap:wrap}
.akv .ak-head b{color:#111827;font-weight:600}
.akv .ak-badge{border-radius:999px;padding:0 8px;font-size:11px;border:1px solid #e5e7eb}
.akv .ak-badge.ok{color:#15803d;border-color:#bbf7d0;background:#f0fdf4}
.akv .ak-badge.bad{color:#b91c1c;border-color:#fecaca;background:#fef2f2}
.akv .ak-toasts{display:flex;flex-direction:column;align-items:flex-end;gap:6px;margin:6px 0}
.akv .ak-toast{display:flex;gap:8px;align-items:flex-start;max-width:360px;background:#fff;
border:1px solid #e5e7eb;border-radius:12px;padding:8px 12px;box-shadow:0 4px 12px rgba(0,0,0,.08);
font-size:13px}
.akv .ak-toast svg{flex:0 0 16px;margin-top:2px}
.akv .ak-toast.info svg{color:#2563eb}.akv .ak-toast.success svg{color:#16a34a}
.akv .ak-toast.warning svg{color:#d97706}.akv .ak-toast.error svg{color:#dc2626}
.akv .ak-dialogs{display:flex;flex-direction:column;gap:8px;margin:8px 0}
.akv .ak-dialog{max-width:32rem;border:1px solid #e5e7eb;border-radius:20px;padding:12px 16px;
box-shadow:0 8px 24px rgba(0,0,0,.10);background:#fff}
.akv .ak-dialog .t{font-size:13px;font-weight:500;margin-bottom:6px}
.akv .ak-dialog .m{font-size:13px;color:#6b7280}
.akv .ak-dialog .m p{margin:0 0 4px}
.akv .ak-dialog .when{float:right;color:#9ca3af;font-size:11px}
.akv .ak-dialog .btns{display:flex;gap:6px;margin-top:10px}
.akv .ak-dialog .btn{flex:1;text-align:center;border-radius:8px;font-size:12px;padding:3px 8px;
background:#f3f4f6;color:#1f2937}
.akv .ak-dialog .btn.main{background:#111827;color:#fff}
.akv .ak-dialog .btn.chosen{outline:2px solid #2563eb;outline-offset:1px}
.akv .ak-dialog .btn.faded{opacity:.45}
.akv .ak-dialog .ans{margin-top:8px;font-size:12px;color:#374151}
.akv .ak-dialog pre{margin:4px 0}
.akv .ak-msg{display:flex;gap:10px;margin:8px 0}
.akv .ak-avatar{flex:0 0 28px;height:28px;border-radius:999px;background:#f3f4f6;color:#6b7280;
display:flex;align-items:center;justify-content:center;font-size:12px;font-weight:600}
.akv .ak-body{flex:1;min-width:0}
.akv .ak-name{font-weight:600;font-size:14px;margin-bottom:2px}
.akv details.ak-status>summary{list-style:none;cursor:pointer;color:#6b7280;font-size:15px;
display:flex;gap:6px;align-items:center}
.akv details.ak-status>summary::-webkit-details-marker{display:none}
.akv details.ak-status>summary .chev{font-size:11px;color:#9ca3af}
.akv .ak-shimmer{background:linear-gradient(90deg,#9ca3af 0%,#111827 50%,#9ca3af 100%);
background-size:200% 100%;-webkit-background-clip:text;background-clip:text;color:transparent;
animation:akshimmer 1600ms linear infinite}
@keyframes akshimmer{0%{background-position:100% 0}100%{background-position:-100% 0}}
.akv .ak-spin{display:inline-block;width:10px;height:10px;border:2px solid #d1d5db;
border-top-color:#6b7280;border-radius:50%;animation:akspin 1s linear infinite;margin-right:6px;
vertical-align:-1px;flex:0 0 auto}
@keyframes akspin{to{transform:rotate(360deg)}}
.akv .ak-history{margin:2px 0 4px 2px;border-left:1px solid #d1d5db;padding-left:10px}
.akv .ak-history div{color:#6b7280;font-size:14px;position:relative}
.akv .ak-history div:before{content:"";position:absolute;left:-13.5px;top:9px;width:6px;height:6px;
border-radius:50%;background:#6b7280}
.akv .ak-content{font-size:15px;line-height:1.65}
.akv .ak-content p{margin:0 0 8px}.akv .ak-content p:last-child{margin-bottom:0}
.akv .ak-content pre{background:#f9fafb;border:1px solid #f3f4f6;border-radius:10px;padding:8px 10px;
overflow:auto;font-size:13px}
.akv .ak-content code{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:13px}
.akv .ak-content :not(pre)>code{background:#f3f4f6;border-radius:5px;padding:1px 4px}
.akv .ak-content table{border-collapse:collapse;margin:6px 0}
.akv .ak-content th,.akv .ak-content td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left}
.akv .ak-content blockquote{margin:4px 0;padding-left:10px;border-left:3px solid #e5e7eb;color:#4b5563}
.akv .ak-content h1,.akv .ak-content h2,.akv .ak-content h3{margin:10px 0 6px;line-height:1.3}
.akv .ak-content h1{font-size:20px}.akv .ak-content h2{font-size:18px}.akv .ak-content h3{font-size:16px}
.akv .ak-content ul,.akv .ak-content ol{margin:4px 0 8px;padding-left:22px}
.akv .ak-content a{color:#2563eb}
.akv .ak-content img{max-width:100%}
.akv details.akdetails{margin:4px 0;color:#6b7280}
.akv details.akdetails>summary{cursor:pointer;font-size:14px}
.akv .cite{display:inline-block;font-size:10px;line-height:1.4;padding:1px 8px;border-radius:12px;
background:#f3f4f6;color:#374151;transform:translateY(-1px)}
.akv .cite .more{color:#9ca3af}
.akv .ak-empty{color:#9ca3af;font-style:italic}
.akv .ak-cursor{display:inline-block;width:2px;height:14px;background:#9ca3af;vertical-align:text-bottom;
animation:akblink 1s steps(2) infinite}
@keyframes akblink{50%{opacity:0}}
.akv .ak-error{display:flex;gap:8px;align-items:flex-start;background:rgba(0,0,0,.03);
border-radius:16px;padding:8px 12px;margin:6px 0;color:#6b7280;font-size:13px}
.akv .ak-error svg{flex:0 0 16px;margin-top:2px;color:#9ca3af}
.akv .ak-row{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin:6px 0}
.akv .ak-chip{display:inline-flex;gap:6px;align-items:center;border:1px solid #e5e7eb;border-radius:12px;
padding:3px 10px;font-size:12px;color:#374151;max-width:100%}
.akv .ak-chip .sub{color:#9ca3af}
.akv .ak-files img{max-height:160px;border-radius:10px;border:1px solid #e5e7eb}
.akv details.ak-sources>summary{list-style:none;cursor:pointer;display:inline-flex;align-items:center;
border:1px solid #f3f4f6;border-radius:999px;padding:4px 14px;font-size:12px;color:#4b5563}
.akv details.ak-sources>summary::-webkit-details-marker{display:none}
.akv details.ak-sources .list{display:flex;flex-direction:column;gap:6px;padding:6px 2px;font-size:12px}
.akv details.ak-sources .n{background:#f9fafb;border-radius:6px;padding:0 5px;margin-right:6px;
color:#374151}
.akv .ak-buttons{display:flex;gap:4px;align-items:center;margin-top:4px;color:#6b7280;flex-wrap:wrap}
.akv .ak-button{display:inline-flex;gap:4px;align-items:center;border-radius:8px;padding:3px 6px;
font-size:12px}
.akv .ak-button.clicked{background:#f3f4f6;color:#111827}
.akv .ak-button img{width:16px;height:16px}
.akv .ak-followups{margin-top:12px}
.akv .ak-followups .h{font-size:14px}
.akv .ak-followups .q{font-size:14px;color:#6b7280;padding:4px 0;border-bottom:1px solid #f3f4f6}
.akv .ak-followups .q:last-child{border-bottom:0}
.akv iframe{width:100%;height:240px;border:1px solid #e5e7eb;border-radius:10px}
.akv details.ak-fold{margin:4px 0;font-size:12px;color:#4b5563}
.akv details.ak-fold>summary{cursor:pointer;color:#6b7280}
.akv details.ak-fold pre,.akv .ak-log{background:#f9fafb;border-radius:8px;padding:6px 8px;
max-height:260px;overflow:auto;margin:4px 0;font-size:12px;white-space:pre-wrap}
.akv .ak-log{font-family:"DejaVu Sans Mono",ui-monospace,monospace;display:grid;
grid-template-columns:max-content 1fr;column-gap:10px;row-gap:1px}
.akv .ak-log .s{color:#9ca3af}
.akv .ak-log .s.stderr,.akv .ak-log .s.ERROR,.akv .ak-log .s.CRITICAL{color:#dc2626}
.akv .ak-log .s.WARNING{color:#d97706}
.akv .ak-timeline{margin:4px 0;padding-left:18px}
.akv .ak-timeline li{margin:1px 0}
.akv .ak-timeline .call{color:#1d4ed8}
.akv .ak-warn{display:flex;gap:6px;align-items:flex-start;color:#92400e;background:#fffbeb;
border-radius:8px;padding:4px 8px;margin:4px 0;font-size:12px}
.akv .ak-warn svg{flex:0 0 14px;margin-top:2px}
.akv .ak-title{font-size:12px;color:#6b7280}
.akv .ak-user{display:flex;justify-content:flex-end;margin:6px 0}
.akv .ak-user div{background:#f3f4f6;border-radius:20px;padding:6px 14px;max-width:80%;
white-space:pre-wrap;font-size:15px}
.akv .ak-steps{display:grid;grid-template-columns:max-content max-content 1fr;column-gap:12px;
row-gap:2px;font-size:13px;margin:6px 0;align-items:baseline}
.akv .ak-steps .stage{color:#6b7280;font-size:12px}
.akv .ak-steps .fn{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12px}
.akv .ak-steps .sum{color:#374151;text-align:left}
.akv .ak-steps .sum.bad{color:#b91c1c}.akv .ak-steps .sum.skip{color:#9ca3af}
.akv .ak-steps .more{grid-column:2/4;margin:0 0 4px}
.akv .ak-diff{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12px;margin:2px 0;
white-space:pre-wrap}
.akv .ak-diff .add{color:#15803d}.akv .ak-diff .del{color:#b91c1c}.akv .ak-diff .chg{color:#92400e}
.akv .ak-turn{border-top:1px solid #f3f4f6;padding-top:6px;margin-top:6px}
.akv .ak-turn:first-of-type{border-top:0}
.akv .ak-muted{color:#9ca3af}
.akv .ak-card-row{font-size:13px;color:#374151;margin:2px 0}
.akv.actionkit-card{padding:8px 14px}
</style>"""


def _svg(body: str, size: int = 16) -> str:
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        f'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{body}</svg>'
    )


ICONS = {
    "info": _svg('<circle cx="12" cy="12" r="9"/><path d="M12 11v5M12 8h.01"/>'),
    "success": _svg('<circle cx="12" cy="12" r="9"/><path d="M8 12.5l2.5 2.5L16 9.5"/>'),
    "warning": _svg('<path d="M12 4l9 16H3z"/><path d="M12 10v4M12 17h.01"/>'),
    "error": _svg('<circle cx="12" cy="12" r="9"/><path d="M9 9l6 6M15 9l-6 6"/>'),
    "sparkles": _svg(
        '<path d="M10 3l1.6 4.4L16 9l-4.4 1.6L10 15l-1.6-4.4L4 9l4.4-1.6z"/>'
        '<path d="M18 14l.8 2.2L21 17l-2.2.8L18 20l-.8-2.2L15 17l2.2-.8z"/>'
    ),
    "file": _svg('<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4"/>'),
    "code": _svg('<path d="M9 8l-4 4 4 4M15 8l4 4-4 4"/>'),
}
