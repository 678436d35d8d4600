package cn.beijing.scienceedu.contracts.catalogue;

/** Spelling normalisation: the notice mixes full-width and half-width brackets and colons. */
final class Names {

  private Names() {
  }

  /** Half-width brackets and colon, no whitespace: 市委宣传部（首都精神文明办） -> 市委宣传部(首都精神文明办). */
  static String normalize(String name) {
    return name.replace('（', '(').replace('）', ')').replace('：', ':')
        .replaceAll("[\\s\\u3000]+", "");
  }
}
