#include "checked.hpp"

namespace nnspec {

std::string to_string(Wide v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    UWide magnitude = negative ? static_cast<UWide>(-(v + 1)) + 1 : static_cast<UWide>(v);
    std::string digits;
    while (magnitude != 0) {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
        magnitude /= 10;
    }
    return negative ? "-" + digits : digits;
}

}  // namespace nnspec
