import { detectableKinds, TEXT_RECOGNIZERS, type DetectLists } from '../detect/detect.js';
import type { TextOptions } from '../transform/strategies/text.js';
import { AnnotationError, type PiiAnnotations } from './pii-annotation.js';

/**
 * The kinds a TEXT annotation names must be ones the detectors find: the built-in ones, or the
 * configured deny list's and recognizers' (known only here, with the configuration). Checked at
 * startup like the other options: a misspelt kind would leave those values in the text.
 */
export function checkTextKinds(annotations: PiiAnnotations, lists: DetectLists): void {
  const detectable = detectableKinds(TEXT_RECOGNIZERS, lists);
  for (const [field, annotation] of annotations) {
    if (annotation.strategy !== 'TEXT') continue;
    ((annotation.options as TextOptions | undefined)?.kinds ?? []).forEach((kind, index) => {
      if (!detectable.has(kind)) {
        throw new AnnotationError(`${field}: text.kinds[${index}] is not a kind the detectors find; they find ${[...detectable].sort().join(', ')}`);
      }
    });
  }
}
