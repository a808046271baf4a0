package org.neurostream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurostream.phantom.PhantomCohort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "phantom", mixinStandardHelpOptions = true,
        description = "Write a synthetic cohort (DICOM MR series with known change) to a folder.")
public final class PhantomCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Default: ${DEFAULT-VALUE}")
    Path out = Path.of("out", "phantoms");
    @Option(names = "--pairs", description = "Subjects with baseline and follow-up. Default: ${DEFAULT-VALUE}")
    int pairs = 3;
    @Option(names = "--singles", description = "Subjects with one visit. Default: ${DEFAULT-VALUE}")
    int singles = 1;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}")
    long seed = 20261123;
    @Option(names = "--anatomy", description = "COLIN27 (real head, 1 mm, T1 + FLAIR, ground truth beside each "
            + "subject) or SYNTHETIC (small synthetic head, T1). Default: ${DEFAULT-VALUE}")
    PhantomCohort.Anatomy anatomy = PhantomCohort.Anatomy.COLIN27;

    @Override
    public Integer call() throws Exception {
        List<PhantomCohort.Series> cohort = new PhantomCohort(seed, anatomy).write(out, pairs, singles);
        for (PhantomCohort.Series s : cohort) {
            System.out.printf(Locale.ROOT, "subject %d %-9s %-5s %s %3d files  %s%n", s.subject(), s.visit(),
                    s.sequence(), s.studyDate(), s.files().size(), s.folder());
        }
        return 0;
    }
}
