// Launch at login on every platform: an XDG autostart entry on Linux (autostart-linux.ts), the OS login
// item elsewhere (Electron's app.setLoginItemSettings, passed in as `os`). Also whether this start was
// one at login, which opens no window.
import { autostartDir, HIDDEN_ARG, linuxAutostartEnabled, relaunchArgv, setLinuxAutostart } from './autostart-linux.js';

/** The part of Electron's `app` this controller uses (electron/main/electron-api.ts AppLike satisfies it). */
export interface LoginItemOs {
  readonly isPackaged: boolean;
  getAppPath(): string;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
}

export interface AutostartOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The process's executable (what the Linux entry starts). */
  execPath: string;
  os: LoginItemOs;
  log: (line: string) => void;
}

/** Turns launch at login on and off and reads what the OS holds. */
export class AutostartController {
  constructor(private readonly o: AutostartOptions) {}

  /** Sets launch at login; a failure is logged, never thrown (the tray item stays usable). */
  apply(enabled: boolean): void {
    const { platform, env, os } = this.o;
    try {
      if (platform === 'linux') {
        setLinuxAutostart(enabled, relaunchArgv({ execPath: this.o.execPath, appImage: env.APPIMAGE, packaged: os.isPackaged, appPath: os.getAppPath() }), autostartDir(env));
      } else {
        os.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
      }
    } catch (err) {
      this.o.log(`could not change launch at login: ${String(err)}`);
    }
  }

  /** What the OS holds now (the user may have changed it in the system settings). */
  enabled(): boolean {
    return this.o.platform === 'linux' ? linuxAutostartEnabled(autostartDir(this.o.env)) : this.o.os.getLoginItemSettings().openAtLogin;
  }

  /** True when this start was a launch at login, which stays in the tray. */
  startedHidden(argv: readonly string[]): boolean {
    return argv.includes(HIDDEN_ARG) || (this.o.platform === 'darwin' && this.o.os.getLoginItemSettings().wasOpenedAtLogin === true);
  }
}
