package io.cairn.client.admin;

/**
 * One setting of a topic or broker as the broker describes it.
 *
 * @param name the key
 * @param value the effective value, null when sensitive
 * @param isDefault whether the value is the default rather than set on the resource
 * @param readOnly whether it cannot be altered at run time
 * @param sensitive whether the value is hidden
 * @param documentation the doc line, or null
 */
public record ConfigEntry(String name, String value, boolean isDefault, boolean readOnly, boolean sensitive,
                          String documentation) {
}
