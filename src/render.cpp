#include "render.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace nnspec {
namespace {

constexpr size_t max_shown_columns = 160;  // a 10 MB line is shown as a window around the span

struct Style {
    bool on;
    std::string_view operator()(std::string_view code) const { return on ? code : std::string_view(); }
};
constexpr std::string_view reset = "\033[0m", bold = "\033[1m", red = "\033[1;31m", yellow = "\033[1;33m",
                           blue = "\033[1;34m";

// One display cell per code point; tabs become four spaces, control bytes and invalid
// UTF-8 become '?', so the caret line stays aligned with what the terminal shows.
struct DisplayLine {
    std::string text;
    std::vector<uint32_t> cell_of_column;  // column (0-based code point) -> display cell
};

DisplayLine display(std::string_view line) {
    DisplayLine out;
    uint32_t cell = 0;
    for (size_t i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if ((c & 0xC0) == 0x80) continue;  // a stray continuation byte starts no column (see count_code_points)
        out.cell_of_column.push_back(cell);
        const size_t length = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF8 ? 4 : 0;
        bool valid = length != 0 && i + length <= line.size();
        for (size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
        if (c == '\t') {
            out.text += "    ";
            cell += 4;
            continue;
        }
        if (c < 0x20 || c == 0x7F || !valid) {
            out.text += '?';
        } else {
            out.text.append(line.substr(i, length));
        }
        cell += 1;
    }
    out.cell_of_column.push_back(cell);  // one past the end
    return out;
}

void append_snippet(std::string& out, const SourceManager& sources, const Label& label, char mark,
                    std::string_view mark_color, size_t gutter, Style style) {
    const auto& file = sources.file(label.span.file);
    const Position begin = file.position(label.span.begin);
    const Position end = file.position(std::max(label.span.begin, label.span.end));
    const std::string_view line = file.line_text(begin.line);
    DisplayLine shown = display(line);

    const uint32_t first_col = begin.column - 1;
    uint32_t last_col = end.line == begin.line ? end.column - 1 : static_cast<uint32_t>(shown.cell_of_column.size() - 1);
    if (last_col <= first_col) last_col = first_col + 1;
    const auto cell = [&](uint32_t col) {
        return shown.cell_of_column[std::min<size_t>(col, shown.cell_of_column.size() - 1)];
    };
    uint32_t caret_begin = cell(first_col);
    uint32_t caret_end = std::max(cell(last_col), caret_begin + 1);

    std::string text = shown.text;
    if (text.size() > max_shown_columns) {  // window the line around the caret
        const uint32_t start = caret_begin > 60 ? caret_begin - 60 : 0;
        std::string window;
        uint32_t skipped = 0;
        if (start > 0) {
            window = "...";
            skipped = start;
        }
        // cells and bytes differ only for multi-byte characters; window by bytes of the shown text
        size_t byte = 0, c = 0;
        while (byte < text.size() && c < start) {
            const auto b = static_cast<unsigned char>(text[byte]);
            byte += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            ++c;
        }
        const std::string rest = text.substr(std::min(byte, text.size()), max_shown_columns);
        window += rest;
        if (byte + rest.size() < text.size()) window += "...";
        text = window;
        const uint32_t shift = skipped - (start > 0 ? 3 : 0);
        caret_begin -= shift;
        caret_end = std::min<uint32_t>(caret_end - shift, static_cast<uint32_t>(caret_begin + max_shown_columns));
    }

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
    return out;
}

}  // namespace nnspec
