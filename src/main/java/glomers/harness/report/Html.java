package glomers.harness.report;

/** Minimal HTML escaping and a string builder with it (the run report's and the store index's pages). */
public final class Html {
  private final StringBuilder sb = new StringBuilder(1 << 16);

  public static String esc(Object o) {
    String s = String.valueOf(o);
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Raw markup. */
  public Html raw(String s) {
    sb.append(s);
    return this;
  }

  /** Escaped text. */
  public Html text(Object s) {
    sb.append(esc(s));
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
