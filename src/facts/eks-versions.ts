/**
 * Amazon EKS Kubernetes versions and their support dates (UTC days). Neither botocore's eks model nor cfn-lint's data
 * carries them: botocore only names the shape DescribeClusterVersions answers with (endOfStandardSupportDate,
 * endOfExtendedSupportDate) and cfn-lint's AWS::EKS::Cluster schema only the pattern `1\.\d\d`. So each row names the
 * page its dates were read from; check `aws eks describe-cluster-versions` before relying on a date near today.
 *
 * Standard support lasts 14 months from the EKS release, extended support 12 more, billed per cluster-hour (price
 * table: eksClusterExtendedHour). After the end of extended support EKS creates no cluster on the version and
 * upgrades existing control planes on its own. A new version joins this table once a source gives its dates: the
 * table stops at 1.35 because no data on hand names a later EKS version's dates (cfn-lint's AWS::EKS::Cluster schema
 * has only the pattern, botocore none), not because EKS has none; upstream Kubernetes 1.36 was released 2026-04-22.
 * Checked again on 2026-12-06: botocore 1.44.18's eks model and cfn-lint 1.58.0's data on this machine still name no
 * EKS version or date. Until a row is added, kubernetes.version-support warns (does not refuse) for a version just
 * beyond the table (MINOR_RELEASE_DAYS).
 */

/** Where the dates of a row were read. */
export const EKS_VERSION_SOURCES = {
  awsUserGuide:
    'Amazon EKS User Guide, "Amazon EKS Kubernetes release calendar" (github.com/awsdocs/amazon-eks-user-guide ' +
    'latest/ug/versioning/kubernetes-versions.adoc at 013856044148d6eeed4723027a45aa2180536bcb)',
  endOfLife: 'endoflife.date/amazon-eks (its Amazon EKS table; the AWS calendar copy read here ends at 1.34)',
} as const;

/** One EKS Kubernetes minor version and its support dates (YYYY-MM-DD, UTC). */
export interface EksVersion {
  /** Minor version as the EKS API and the claim write it. */
  readonly version: string;
  /** Day the version became available in Amazon EKS. */
  readonly release: string;
  /**
   * Day standard support ends: from the start of this day (UTC) the version is in extended support and billed as such
   * (the rules count it as ended once fewer than one day is left).
   */
  readonly endOfStandardSupport: string;
  /** Day extended support ends: from then EKS creates no cluster on the version and upgrades existing ones. */
  readonly endOfExtendedSupport: string;
  /** Where the dates were read. */
  readonly source: string;
}

const row = (
  version: string,
  release: string,
  endOfStandardSupport: string,
  endOfExtendedSupport: string,
  source: keyof typeof EKS_VERSION_SOURCES = 'awsUserGuide',
): EksVersion => ({ version, release, endOfStandardSupport, endOfExtendedSupport, source: EKS_VERSION_SOURCES[source] });

/** Every version in the table, newest first. */
export const EKS_VERSIONS: readonly EksVersion[] = [
  row('1.35', '2026-01-28', '2027-03-27', '2028-03-27', 'endOfLife'),
  row('1.34', '2025-10-02', '2026-12-02', '2027-12-02'),
  row('1.33', '2025-05-29', '2026-07-29', '2027-07-29'),
  row('1.32', '2025-01-23', '2026-03-23', '2027-03-23'),
  row('1.31', '2024-09-26', '2025-11-26', '2026-11-26'),
  row('1.30', '2024-05-23', '2025-07-23', '2026-07-23'),
  row('1.29', '2024-01-23', '2025-03-23', '2026-03-23'),
];

/** The newest version in the table: the default of a claim that names none. */
export const NEWEST_EKS_VERSION: string = EKS_VERSIONS[0]!.version;

/**
 * Days between two Kubernetes minor releases, on average: "The community releases new Kubernetes minor versions … on
 * average once every four months. Amazon EKS follows the upstream release and deprecation cycle for minor versions"
 * (Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS"). Bounds how many minors newer than the
 * table EKS can plausibly offer on a day.
 */
export const MINOR_RELEASE_DAYS = 122;

/** The minor number of a version written 1.NN (35 for 1.35), or undefined for another shape. */
export const minorOf = (version: string): number | undefined => {
  const m = /^1\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
};

/** The row of a version, if the table has it. */
export const findEksVersion = (version: string): EksVersion | undefined => EKS_VERSIONS.find((v) => v.version === version);
