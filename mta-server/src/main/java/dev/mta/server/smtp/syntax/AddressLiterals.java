package dev.mta.server.smtp.syntax;

/** IPv4 and IPv6 address literal syntax of RFC 5321 4.1.3, checked without any DNS lookup. */
final class AddressLiterals {
    private AddressLiterals() {
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return false;
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        int lastColon = s.lastIndexOf(':');
        String tail = s.substring(lastColon + 1);
        int groupsForTail = 0;
        String head = s;
        if (tail.contains(".")) {
            if (!isIpv4(tail)) {
                return false;
            }
            groupsForTail = 2;
            head = s.substring(0, lastColon + 1) + "0";
        }
        int doubleColon = head.indexOf("::");
        if (doubleColon >= 0 && head.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = head.replace("::", ":x:").split(":", -1);
        int count = 0;
        for (String group : groups) {
            if (group.equals("x")) {
                continue;
            }
            if (group.isEmpty()) {
                if (doubleColon < 0) {
                    return false;
                }
                continue;
            }
            if (group.length() > 4 || group.contains(".")) {
                return false;
            }
            count++;
        }
        int total = count - (groupsForTail > 0 ? 1 : 0) + groupsForTail;
        return doubleColon >= 0 ? total < 8 : total == 8;
    }
}
