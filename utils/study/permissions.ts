// What a study may be granted, as data: the manifest (wxt.config.ts) declares it optional, the
// pages ask for it from a click, the background checks it. Pure, so the build can read it too.

/**
 * Plain http only on this machine's loopback: a researcher's local trial (the collector listens
 * on 127.0.0.1 by default) and the tests, since nothing sent there crosses a network. Everywhere
 * else a token and the participant's words would travel in clear, so real studies are https.
 */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'] as const;

/** The ceiling of what a study's address may be: the permission asked for is its one host. */
export const STUDY_HOST_PERMISSIONS = ['https://*/*', ...LOOPBACK_HOSTS.map((host) => `http://${host}/*`)];

/**
 * Firefox's data collection categories of what an upload carries: the chats (what the sites
 * show, and conversations with an assistant) and the optional profile's age, gender, education
 * and occupation in survey_answers. Optional: Firefox asks when the participant agrees to a study.
 */
export const FIREFOX_DATA_COLLECTION = ['websiteContent', 'personalCommunications', 'personallyIdentifyingInfo'] as const;
