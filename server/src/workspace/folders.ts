/**
 * The workspace folders the client told us about, each with its own settings and exclude matcher.
 */
import { DEFAULT_SETTINGS, isCandidateFile, type Settings } from '../engine';
import { Excluder } from './glob';
import { relativeTo } from './files';
import { mergeSettings, type FolderSettings } from './settings';

export interface Folder extends FolderSettings {
  uri: string;
  excluder: Excluder;
}

export class WorkspaceFolders {
  private folders: Folder[] = [];
  /** Settings for files outside every folder (single files opened on their own). */
  private global: Settings = DEFAULT_SETTINGS;

  list(): readonly Folder[] {
    return this.folders;
  }

  add(uri: string, path: string, settings: Settings = DEFAULT_SETTINGS): Folder {
    this.remove(uri);
    const folder: Folder = { uri, path: path.replace(/\/+$/, '') || '/', settings, excluder: new Excluder(settings.exclude) };
    this.folders.push(folder);
    // Longest first, so the innermost folder owns a file when folders nest.
    this.folders.sort((a, b) => b.path.length - a.path.length);
    return folder;
  }

  remove(uri: string): Folder | undefined {
    const i = this.folders.findIndex((f) => f.uri === uri);
    if (i < 0) return undefined;
    return this.folders.splice(i, 1)[0];
  }

  /** Replaces a folder's settings; true when its exclude globs changed (so its files must be rediscovered). */
  setSettings(uri: string, settings: Settings): boolean {
    const f = this.folders.find((x) => x.uri === uri);
    if (!f) return false;
    const excludeChanged = JSON.stringify(f.settings.exclude) !== JSON.stringify(settings.exclude);
    f.settings = settings;
    if (excludeChanged) f.excluder = new Excluder(settings.exclude);
    return excludeChanged;
  }

  setGlobalSettings(settings: Settings): void {
    this.global = settings;
  }

  folderOf(file: string): Folder | undefined {
    return this.folders.find((f) => relativeTo(f.path, file) !== undefined);
  }

  /** Whether a file belongs to the indexed workspace: inside a folder, a candidate by name, not excluded. */
  isIndexed(file: string): boolean {
    const folder = this.folderOf(file);
    if (!folder) return false;
    return isCandidateFile(file) && !folder.excluder.excludesFile(relativeTo(folder.path, file) as string);
  }

  /**
   * Whether an open document should be analysed. Documents outside every folder are analysed on their own
   * merits (someone opened a template to look at it); inside a folder, the excludes apply to them too.
   */
  acceptsOpenFile(file: string): boolean {
    if (!isCandidateFile(file)) return false;
    return this.folderOf(file) ? this.isIndexed(file) : true;
  }

  engineSettings(): Settings {
    return mergeSettings(this.folders, this.global);
  }

  /** The debounce to use after a keystroke in `file`. */
  debounceFor(file: string | undefined): number {
    const folder = file === undefined ? undefined : this.folderOf(file);
    return folder ? folder.settings.debounceMs : this.engineSettings().debounceMs;
  }
}
