package org.opgate.classify;

/**
 * One field of a rule compared with a flow, for {@code explain}.
 *
 * @param field   {@code host}, {@code sni}, {@code cidr} or {@code ports}
 * @param rule    the rule's value, as written after normalisation
 * @param value   the flow's fact it was compared with (what matched, or what was there)
 * @param matched whether this field matched
 */
public record FieldCheck(String field, String rule, String value, boolean matched) {
}
