// A session's browser as people name it ("Chrome 156 on Linux", "Safari 17 on iOS"), read from the
// User-Agent its sign-in sent, so that someone looking over their sessions can tell their own devices
// apart. The User-Agent is whatever the client chose to send: this is a description, not evidence.
import Bowser from 'bowser';

/** The browser and system a User-Agent names, in words; the User-Agent itself if it names neither. */
export function browserName(userAgent: string): string {
  const given = userAgent.trim();
  if (given === '') return 'Browser not known';
  const parsed = Bowser.getParser(given);
  const browser = parsed.getBrowser();
  if (!browser.name) return given;
  const major = browser.version?.split('.')[0];
  const os = parsed.getOS();
  const system = [os.name, os.versionName].filter(Boolean).join(' ');
  return `${browser.name}${major ? ` ${major}` : ''}${system ? ` on ${system}` : ''}`;
}
