// Turns the seed tutorials (web/seeds/*.txt) into the playground's examples:
// every JavaScript code block becomes an example, grouped by the article's
// headings; consecutive blocks that name their file (`// main.js`, a
// "### Server Code (`server.js`)" heading, "create a `worker.js` file") in one
// section become one multi-file example; data files the prose describes
// (`file.txt` containing `hello`) are added where the code reads them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const FILE_NAME = /^[\w.-]+\.(?:m?js|cjs)$/;
const NAME_COMMENT = /^\/\/\s*([\w.-]+\.(?:m?js|cjs))\s*$/;

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
}

/** Splits a block whose lines include `// name.js` markers into files. */
function splitNamedFiles(code) {
  const lines = code.split('\n');
  const files = [];
  let current = null;
  for (const line of lines) {
    const m = NAME_COMMENT.exec(line.trim());
    if (m && line.trim() === line.trimEnd()) {
      current = { name: m[1], lines: [] };
      files.push(current);
      continue;
    }
    if (current === null) {
      current = { name: null, lines: [] };
      files.push(current);
    }
    current.lines.push(line);
  }
  return files
    .map((f) => ({ name: f.name, content: f.lines.join('\n').replace(/^\n+|\s+$/g, '') + '\n' }))
    .filter((f) => f.content.trim() !== '' || f.name !== null);
}

/** The file a paragraph or heading just before a block says the block is. */
function nameFromProse(text) {
  if (!text) return null;
  const heading = /^#+ .*\(`([\w.-]+\.(?:m?js|cjs))`\)\s*$/m.exec(text);
  if (heading) return heading[1];
  const create = /create (?:a |an |another )?(?:new )?(?:file )?`([\w.-]+\.(?:m?js|cjs))`(?: file)?/i.exec(text);
  return create ? create[1] : null;
}

/** Parses one seed file into { title, sections: [{ heading, blocks }] }. */
export function parseSeed(text) {
  let body = text.replace(/\r\n/g, '\n');
  let title = null;
  const front = /^---\n([\s\S]*?)\n---\n/.exec(body);
  if (front) {
    const t = /^title:\s*(.*)$/m.exec(front[1]);
    if (t) title = t[1].replace(/^['"]|['"]$/g, '');
    body = body.slice(front[0].length);
  }
  const articles = [];
  let article = null;
  let section = null;
  let prose = '';
  const startArticle = (name) => {
    article = { title: name, sections: [] };
    articles.push(article);
    section = null;
  };
  const startSection = (heading) => {
    if (article === null) startArticle(title ?? heading);
    section = { heading, blocks: [] };
    article.sections.push(section);
  };
  if (title !== null) startArticle(title);
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (fence) {
      const indent = fence[1].length;
      const lang = fence[2].toLowerCase();
      const code = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) {
        code.push(lines[i].slice(Math.min(indent, lines[i].length - lines[i].trimStart().length)));
        i++;
      }
      if (lang === 'js' || lang === 'javascript') {
        if (section === null) startSection(article?.title ?? title ?? 'Examples');
        section.blocks.push({ code: code.join('\n'), before: prose });
      }
      prose = '';
      continue;
    }
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) {
      const level = h[1].length;
      const text = h[2].trim();
      if (level === 1 && title === null) startArticle(text);
      else if (level <= 2) startSection(text);
      else if (section === null) startSection(text);
      prose = line + '\n';
      continue;
    }
    if (line.trim() !== '') prose += line + '\n';
  }
  return articles;
}

/** Data files the prose says the examples read: `file.txt` which contains `hello`. */
function dataFiles(text) {
  const files = {};
  const re = /file called `([^`]+)` which contains just one line `([^`]*)`/g;
  for (const m of text.matchAll(re)) files[m[1]] = m[2];
  return files;
}

const LARGE_FILE_LINES = 500;
function largeFile() {
  let s = '';
  for (let i = 0; i < LARGE_FILE_LINES; i++) s += `line ${i + 1}: the quick brown fox jumps over the lazy dog\n`;
  return s;
}

/** Which files a program opens by name: the string literals that name files in `files`. */
function mentioned(code, name) {
  return (
    code.includes(`'${name}'`) ||
    code.includes(`"${name}"`) ||
    code.includes(`'./${name}'`) ||
    code.includes(`"./${name}"`)
  );
}

/** Turns a section's blocks into examples (multi-file where the blocks name files). */
function sectionExamples(blocks) {
  const out = [];
  let group = null;
  for (const block of blocks) {
    const parts = splitNamedFiles(block.code);
    const proseName = nameFromProse(block.before);
    const named = parts.every((p) => p.name !== null) || (parts.length === 1 && proseName !== null);
    if (parts.length === 1 && parts[0].name === null && proseName !== null) parts[0].name = proseName;
    if (!named) {
      group = null;
      out.push({ files: [{ name: null, content: parts.map((p) => p.content).join('\n') }] });
      continue;
    }
    if (group !== null && !parts.some((p) => group.files.some((f) => f.name === p.name))) {
      group.files.push(...parts);
    } else {
      group = { files: parts };
      out.push(group);
    }
  }
  return out;
}

/** Picks the entry: the file no other file names (main.js, parent.js, primary.js ...). */
function entryOf(files) {
  const names = Object.keys(files).filter((n) => FILE_NAME.test(n));
  if (names.length === 1) return names[0];
  const stem = (n) => n.replace(/\.(m?js|cjs)$/, '');
  const startsFile = (text, s) => new RegExp(`['"\`](\\./)?${s}(\\.(m?js|cjs))?['"\`]`).test(text);
  const unreferenced = names.filter((n) => !names.some((other) => other !== n && startsFile(files[other], stem(n))));
  return unreferenced[0] ?? names[0];
}

/** All examples of all seeds in `dir`, as [{ id, article, section, title, files, entry }]. */
export function buildExamples(dir) {
  const examples = [];
  const seeds = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  for (const seed of seeds) {
    const text = fs.readFileSync(path.join(dir, seed), 'utf8');
    const data = dataFiles(text);
    for (const article of parseSeed(text)) {
      for (const section of article.sections) {
        const list = sectionExamples(section.blocks);
        list.forEach((ex, n) => {
          const files = {};
          for (const f of ex.files) {
            const name = f.name ?? 'index.js';
            files[name] = f.content;
          }
          const all = Object.values(files).join('\n');
          const binary = {};
          for (const [name, content] of Object.entries(data)) {
            if (mentioned(all, name)) files[name] = content;
            if (mentioned(all, `${name}.gz`) && /createGunzip|gunzip/i.test(all)) {
              binary[`${name}.gz`] = zlib.gzipSync(Buffer.from(content)).toString('base64');
            }
          }
          if (mentioned(all, 'largefile.txt')) files['largefile.txt'] = largeFile();
          const title = list.length > 1 ? `${section.heading} (${n + 1})` : section.heading;
          examples.push({
            id: slug(`${article.title}-${title}`),
            article: article.title,
            section: section.heading,
            title,
            files,
            binary,
            entry: entryOf(files),
          });
        });
      }
    }
  }
  const seen = new Map();
  for (const ex of examples) {
    const k = seen.get(ex.id) ?? 0;
    seen.set(ex.id, k + 1);
    if (k > 0) ex.id = `${ex.id}-${k + 1}`;
  }
  return examples;
}
