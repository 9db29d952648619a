package org.vfzone.system;

import org.springframework.stereotype.Component;

/** Counted nouns as people write them ("1 zone", "2 zones"); pages call it as {@code @words.count(n, 'zone')}. */
@Component("words")
public class Words {

    /** "1 zone", "0 zones", "2 zones": the plural adds an s. */
    public String count(long n, String singular) {
        return of(n, singular, singular + "s");
    }

    /** With an irregular plural: {@code count(2, 'alias', 'aliases')}. */
    public String count(long n, String singular, String plural) {
        return of(n, singular, plural);
    }

    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
