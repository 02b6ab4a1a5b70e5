package dev.ivr.server.flow.engine;

/** The Luhn (mod 10) check of card and account numbers. */
final class Luhn {
    private Luhn() {
    }

    static boolean valid(String digits) {
        if (digits.length() < 2 || !digits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
