/// Did it work, and did it stay fair: patrol dosage, the non-enforcement monitor, outcomes and displacement
/// (Weighted Displacement Quotient), the feedback-loop guard and the equity audit. Pure: values in, values out;
/// the web and command line read the store and render.
public enum Oversight {}
