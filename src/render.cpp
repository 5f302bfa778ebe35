#include "render.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace nnspec {
namespace {

constexpr size_t max_shown_columns = 160;  // a 10 MB line is shown as a window around the span
constexpr size_t max_window_bytes = 1024;  // enough bytes for 160 columns of 4-byte characters

struct Style {
    bool on;
    std::string_view operator()(std::string_view code) const { return on ? code : std::string_view(); }
};
constexpr std::string_view reset = "\033[0m", bold = "\033[1m", red = "\033[1;31m", yellow = "\033[1;33m",
                           blue = "\033[1;34m";

// One display cell per code point; tabs become four spaces, control bytes and invalid
// UTF-8 become '?', so the caret line stays aligned with what the terminal shows.
struct DisplayLine {
    std::vector<std::string> cells;        // what each cell shows
    std::vector<uint32_t> cell_of_column;  // column (0-based code point) -> display cell
};

DisplayLine display(std::string_view line) {
    DisplayLine out;
    for (size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if ((c & 0xC0) == 0x80) continue;  // a stray continuation byte starts no column (see count_code_points)
        out.cell_of_column.push_back(static_cast<uint32_t>(out.cells.size()));
        const size_t length = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF8 ? 4 : 0;
        bool valid = length != 0 && i + length <= line.size();
        for (size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
        if (c == '\t') {
            out.cells.insert(out.cells.end(), 4, " ");
        } else if (c < 0x20 || c == 0x7F || !valid) {
            out.cells.emplace_back("?");
        } else {
            out.cells.emplace_back(line.substr(i, length));
        }
    }
    out.cell_of_column.push_back(static_cast<uint32_t>(out.cells.size()));  // one past the end
    return out;
}

// The start of the UTF-8 character that holds byte `i`.
size_t char_start(std::string_view text, size_t i) {
    while (i > 0 && i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    return i;
}

void append_snippet(std::string& out, const SourceManager& sources, const Label& label, char mark,
                    std::string_view mark_color, size_t gutter, Style style) {
    const auto& file = sources.file(label.span.file);
    const Position begin = file.position(label.span.begin);
    const Position end = file.position(std::max(label.span.begin, label.span.end));
    const std::string_view line = file.line_text(begin.line);

    // Only a window of bytes around the span is decoded, so a diagnostic on a 10 MB line
    // costs no more than one on a short line.
    const auto line_start = static_cast<size_t>(line.data() - file.text().data());
    const size_t at = std::min<size_t>(label.span.begin - line_start, line.size());
    const size_t at_end = end.line == begin.line ? std::min<size_t>(std::max(label.span.begin, label.span.end) - line_start, line.size())
                                                 : line.size();
    size_t lo = 0, hi = line.size();
    if (line.size() > max_window_bytes) {
        lo = char_start(line, at > max_window_bytes / 4 ? at - max_window_bytes / 4 : 0);
        hi = char_start(line, std::min(line.size(), lo + max_window_bytes));
    }
    const std::string_view part = line.substr(lo, hi - lo);
    const DisplayLine shown = display(part);
    const auto columns = [&](size_t byte) {
        return count_code_points(part.substr(0, std::clamp(byte, lo, hi) - lo));
    };
    const uint32_t first_col = columns(at);
    uint32_t last_col = columns(at_end);
    if (last_col <= first_col) last_col = first_col + 1;
    const auto cell = [&](uint32_t col) {
        return shown.cell_of_column[std::min<size_t>(col, shown.cell_of_column.size() - 1)];
    };
    const uint32_t caret_cell = cell(first_col);
    const uint32_t caret_end_cell = std::max(cell(last_col), caret_cell + 1);

    // the cells shown: at most max_shown_columns, starting a little before the caret
    const auto total = static_cast<uint32_t>(shown.cells.size());
    uint32_t from = 0, to = total;
    if (total > max_shown_columns) {
        from = std::min(caret_cell > 60 ? caret_cell - 60 : 0, total - static_cast<uint32_t>(max_shown_columns));
        to = from + static_cast<uint32_t>(max_shown_columns);
    }
    const bool cut_left = lo > 0 || from > 0, cut_right = hi < line.size() || to < total;
    std::string text = cut_left ? "..." : "";
    for (uint32_t c = from; c < to; ++c) text += shown.cells[c];
    if (cut_right) text += "...";
    const uint32_t shift = cut_left ? 3 : 0;
    const uint32_t caret_begin = std::min(caret_cell, to) - from + shift;
    const uint32_t caret_end = std::max(std::min(caret_end_cell - std::min(caret_end_cell, from) + shift,
                                                 caret_begin + static_cast<uint32_t>(max_shown_columns)),
                                        caret_begin + 1);

    const std::string number = std::to_string(begin.line);
    out += fmt::format("{}{:>{}} |{} {}\n", style(blue), number, gutter, style(reset), text);
    out += fmt::format("{}{:>{}} |{} {}{}{}", style(blue), "", gutter, style(reset), std::string(caret_begin, ' '),
                       style(mark_color), std::string(caret_end - caret_begin, mark));
    if (!label.message.empty()) out += " " + label.message;
    out += fmt::format("{}\n", style(reset));
}

std::string severity_word(Severity s) { return s == Severity::error ? "error" : "warning"; }

std::string render_human(const Diagnostic& d, const SourceManager& sources, Style style) {
    std::string out;
    const std::string_view color = d.severity == Severity::error ? red : yellow;
    const auto& info = code_info(d.code);
    if (d.primary.span.valid()) out += fmt::format("{}{}: ", style(bold), location(d.primary.span, sources));
    out += fmt::format("{}{}{}[{}]: {}{}{}\n", style(color), severity_word(d.severity), style(reset), info.code,
                       style(bold), d.message, style(reset));
    size_t gutter = 1;
    auto widen = [&](const Label& l) {
        if (l.span.valid()) gutter = std::max(gutter, std::to_string(sources.file(l.span.file).position(l.span.begin).line).size());
    };
    widen(d.primary);
    for (const auto& l : d.secondary) widen(l);
    gutter += 1;
    if (d.primary.span.valid()) append_snippet(out, sources, d.primary, '^', color, gutter, style);
    for (const auto& l : d.secondary) {
        if (!l.span.valid()) continue;
        out += fmt::format("{}{:>{}}:::{} {}\n", style(blue), "", gutter - 1, style(reset), location(l.span, sources));
        append_snippet(out, sources, l, '-', blue, gutter, style);
    }
    for (const auto& n : d.notes) out += fmt::format("{}{:>{}} ={} note: {}\n", style(blue), "", gutter, style(reset), n);
    for (const auto& h : d.help) out += fmt::format("{}{:>{}} ={} help: {}\n", style(blue), "", gutter, style(reset), h);
    return out;
}

nlohmann::json span_json(Span s, const SourceManager& sources) {
    if (!s.valid()) return nullptr;
    const auto& file = sources.file(s.file);
    const Position b = file.position(s.begin), e = file.position(s.end);
    return {{"file", file.name()}, {"line", b.line}, {"column", b.column}, {"end_line", e.line}, {"end_column", e.column}};
}

}  // namespace

std::string location(Span s, const SourceManager& sources) {
    const auto& file = sources.file(s.file);
    const Position p = file.position(s.begin);
    return fmt::format("{}:{}:{}", file.name(), p.line, p.column);
}

std::string render(const Diagnostic& d, const SourceManager& sources, const RenderOptions& options) {
    const Style style{options.color};
    switch (options.format) {
        case RenderFormat::human: return render_human(d, sources, style);
        case RenderFormat::short_: {
            std::string out;
            if (d.primary.span.valid()) out += location(d.primary.span, sources) + ": ";
            return out + fmt::format("{}[{}]: {}\n", severity_word(d.severity), code_info(d.code).code, d.message);
        }
        case RenderFormat::json: {
            nlohmann::json j = {{"code", code_info(d.code).code}, {"severity", severity_word(d.severity)},
                                {"message", d.message}, {"span", span_json(d.primary.span, sources)},
                                {"label", d.primary.message}};
            for (const auto& l : d.secondary) j["secondary"].push_back({{"span", span_json(l.span, sources)}, {"label", l.message}});
            if (!d.notes.empty()) j["notes"] = d.notes;
            if (!d.help.empty()) j["help"] = d.help;
            return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        }
    }
    return {};
}

std::string render_all(const Diagnostics& ds, const SourceManager& sources, const RenderOptions& options) {
    std::string out;
    for (const auto& d : ds.all()) out += render(d, sources, options);
    if (ds.dropped() != 0 && options.format != RenderFormat::json) {
        out += fmt::format("nnspec: {} more diagnostic{} not shown (the limit is {}; `--max-diagnostics 0` shows all)\n",
                           ds.dropped(), ds.dropped() == 1 ? "" : "s", ds.limit());
    }
    return out;
}

}  // namespace nnspec
