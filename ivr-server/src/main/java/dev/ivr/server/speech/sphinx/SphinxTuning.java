package dev.ivr.server.speech.sphinx;

/**
 * The decoder's numbers that trade accuracy against speed and against false acceptance
 * (chosen with the benchmark in docs/benchmarks.md).
 *
 * @param absoluteBeam            most search states kept per frame
 * @param outOfGrammarProbability how likely the decoder thinks "something else" is said; higher
 *                                makes it answer &lt;unk&gt; (no match) more readily
 * @param wordInsertionProbability how likely one more word is (low values favour short phrases)
 * @param languageWeight          weight of the grammar's probabilities against the acoustic scores
 * @param confidenceScale         factor on log scores when the best phrase is weighed against the
 *                                other hypotheses (acoustic scores are far too peaked unscaled);
 *                                higher gives higher confidences
 * @param dither                  most noise added to each sample first (of 32768, uniform): a
 *                                floor of about -50 dBFS makes telephone audio (nothing above
 *                                4 kHz, digital silence between words) look more like what the
 *                                16 kHz model was trained on; 0 for none
 */
record SphinxTuning(int absoluteBeam, double outOfGrammarProbability, double wordInsertionProbability,
                    double languageWeight, double confidenceScale, double dither) {
    static final SphinxTuning DEFAULT = new SphinxTuning(1000, 1e-30, 0.1, 8, 0.03, 200);

    /** Parses "beam,oog,wip,lw,scale,dither" (for the benchmark's sweeps). */
    static SphinxTuning parse(String s) {
        String[] p = s.split(",");
        return new SphinxTuning(Integer.parseInt(p[0].trim()), Double.parseDouble(p[1].trim()), Double.parseDouble(p[2].trim()),
                Double.parseDouble(p[3].trim()), Double.parseDouble(p[4].trim()), Double.parseDouble(p[5].trim()));
    }
}
