//! A guard for legacy `.xls` (OLE compound file) input, run before calamine sees the bytes.
//!
//! calamine 0.30 reads a compound file on trust. Its sector cache grows to `(id + 1) x sector
//! size` for any sector id it is asked for, so one id past the end of the file (in the DIFAT, the
//! list of FAT sectors, or any sector chain it follows) makes it allocate up to 2 TB; it follows
//! FAT chains without a cycle check; and it reserves each stream at the size its directory entry
//! claims and the header's sector counts times the sector size. Every one of these was found by
//! fuzzing or by `scripts/mutate.py` on 5 KB files (`fixtures/bad/fuzz-regressions/`,
//! `fixtures/bad/crash/`).
//!
//! [`check`] refuses what would exhaust any reader: header counts past the file, a looping DIFAT
//! or FAT, a stream claiming more bytes than the file has. [`check_calamine`] also walks the
//! file as calamine will -- the FAT list, the directory chain, the mini stream and mini FAT
//! chains, and the chains of the streams it reads (`Workbook` or `Book`; every stream when the
//! workbook has macros) -- and refuses a sector id beyond reach (calamine would reserve more than
//! a few times the file for it) or a looping mini FAT chain. A valid file has none of these, and a
//! file that passes makes calamine allocate at most a few times its own size.

/// Sector ids at or above this are markers, not sectors (calamine's `RESERVED_SECTORS`).
const MAX_REGULAR: u32 = 0xFFFF_FFFA;
/// DIFAT entries at or above this are not FAT sectors (calamine's `DIFSECT`).
const DIFSECT: u32 = 0xFFFF_FFFC;
/// The end of a sector chain.
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream, in 64-byte mini sectors.
const MINI_CUTOFF: usize = 4096;
const MINI_SECTOR: usize = 64;

/// One directory entry, as calamine reads it.
struct Entry {
    name: String,
    kind: u8,
    start: u32,
    len: usize,
}

/// `Err(detail)` when the compound file is malformed in a way that could exhaust memory in
/// any reader: header counts past the file, a looping DIFAT or FAT, a stream claiming more
/// bytes than the file has. (The `cfb` crate, which reads `.doc`, is safe past these.)
pub fn check(bytes: &[u8]) -> Result<(), String> {
    Walk::new(bytes).map(|_| ())
}

/// [`check`], and the walk calamine will make (`.xls`): every sector it will ask for must be
/// within reach -- `(id + 1) x sector size` no more than a few times the file (it reserves that
/// much) -- and no mini FAT chain may loop. A file damaged more mildly (a chain that runs a
/// little past the end) is left to calamine, which reads what is there.
pub fn check_calamine(bytes: &[u8]) -> Result<(), String> {
    Walk::new(bytes)?.calamine()
}

/// The compound file's header and FAT, read once.
struct Walk<'a> {
    bytes: &'a [u8],
    ss: usize,
    nsect: usize,
    fat_ids: Vec<u32>,
    fat: Vec<u32>,
    entries: Vec<Entry>,
}

fn u16_in(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_in(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn words(s: &[u8]) -> Vec<u32> {
    s.chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn short() -> String {
    "the compound file header is cut short".to_string()
}

impl<'a> Walk<'a> {
    fn new(bytes: &'a [u8]) -> Result<Walk<'a>, String> {
        let shift = u16_in(bytes, 0x1E).ok_or_else(short)?;
        if shift != 9 && shift != 12 {
            return Err(format!("bad sector size 2^{shift}"));
        }
        let ss = 1usize << shift;
        // The header fills the first sector; sector `id` starts at `(id + 1) x ss`.
        let nsect = bytes.len().saturating_sub(ss).div_ceil(ss);
        // Sector counts in the header (directory, FAT, mini FAT): at most the sectors in the
        // file.
        for (what, at) in [("directory", 0x28), ("FAT", 0x2C), ("mini FAT", 0x40)] {
            let n = u32_in(bytes, at).ok_or_else(short)? as usize;
            if n > nsect {
                return Err(format!(
                    "the compound file header counts {n} {what} sectors in a file of {nsect}"
                ));
            }
        }
        let mut w = Walk {
            bytes,
            ss,
            nsect,
            fat_ids: Vec::new(),
            fat: Vec::new(),
            entries: Vec::new(),
        };
        // FAT sector ids: 109 in the header, then the DIFAT chain, each sector's last word
        // linking to the next (calamine follows any id below MAX_REGULAR).
        let mut fat_ids: Vec<u32> = (0..109)
            .filter_map(|i| u32_in(bytes, 0x4C + 4 * i))
            .collect();
        let mut difat = u32_in(bytes, 0x44).ok_or_else(short)?;
        let mut hops = 0;
        while difat < MAX_REGULAR {
            if difat as usize >= nsect {
                return Err(w.past_end("the DIFAT chain", difat));
            }
            hops += 1;
            if hops > nsect {
                return Err("the DIFAT chain loops".into());
            }
            let ids = words(w.sector(difat));
            let (last, rest) = ids.split_last().ok_or_else(short)?;
            fat_ids.extend_from_slice(rest);
            difat = *last;
        }
        fat_ids.retain(|&id| id < DIFSECT);
        if fat_ids.len() > nsect {
            return Err(format!(
                "the compound file lists {} FAT sectors in a file of {nsect}",
                fat_ids.len()
            ));
        }
        let fat: Vec<u32> = fat_ids.iter().flat_map(|&id| words(w.sector(id))).collect();
        // Any cycle in the FAT (a functional graph) would be followed forever.
        let mut state = vec![0u8; fat.len()]; // 0 new, 1 on the current path, 2 done
        for start in 0..fat.len() {
            let mut path = Vec::new();
            let mut at = start;
            while at < fat.len() && state[at] == 0 {
                state[at] = 1;
                path.push(at);
                at = fat[at] as usize;
            }
            if at < fat.len() && state[at] == 1 {
                return Err("a sector chain loops back on itself".into());
            }
            for p in path {
                state[p] = 2;
            }
        }
        w.fat_ids = fat_ids;
        w.fat = fat;
        // Directory entries: no stream may claim more bytes than the file has.
        let dir = w.chain(u32_in(bytes, 0x30).ok_or_else(short)?, false);
        for id in dir {
            for e in w.sector(id).chunks_exact(128) {
                let len = if ss == 512 {
                    u64::from(u32::from_le_bytes([e[120], e[121], e[122], e[123]]))
                } else {
                    u64::from_le_bytes([
                        e[120], e[121], e[122], e[123], e[124], e[125], e[126], e[127],
                    ])
                };
                let kind = e[66];
                // calamine takes the first entry's size as the mini stream's whatever its
                // kind says, and finds streams by name: every entry is checked.
                if len > bytes.len().max(MINI_CUTOFF) as u64 {
                    return Err(format!(
                        "a stream claims {len} bytes in a {}-byte file",
                        bytes.len()
                    ));
                }
                let units: Vec<u16> = e[..64]
                    .chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                w.entries.push(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind,
                    start: u32::from_le_bytes([e[116], e[117], e[118], e[119]]),
                    len: len as usize,
                });
            }
        }
        Ok(w)
    }

    /// Sector `id` as far as the file holds it (empty past the end, as calamine reads it).
    fn sector(&self, id: u32) -> &'a [u8] {
        let start = (id as usize)
            .saturating_add(1)
            .saturating_mul(self.ss)
            .min(self.bytes.len());
        &self.bytes[start..(start + self.ss).min(self.bytes.len())]
    }

    fn past_end(&self, what: &str, id: u32) -> String {
        format!(
            "{what} points to sector {id}, past the end of the file ({} sectors)",
            self.nsect
        )
    }

    /// The ids of a FAT chain, followed while they have FAT entries (the FAT has no cycle);
    /// with `all`, past the end of the file too.
    fn chain(&self, start: u32, all: bool) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN && (id as usize) < self.fat.len() {
            if !all && id as usize >= self.nsect {
                break;
            }
            ids.push(id);
            id = self.fat[id as usize];
        }
        if id != END_OF_CHAIN {
            ids.push(id);
        }
        ids
    }

    /// The sectors calamine will ask for, each within reach.
    fn calamine(&self) -> Result<(), String> {
        // calamine reserves `(id + 1) x size` bytes for sector `id` of a stream it reads.
        let reach = (self.bytes.len() as u64 * 4).max(64 << 20);
        let within = |what: &str, id: u32, size: usize| -> Result<(), String> {
            if (u64::from(id) + 1) * size as u64 > reach {
                return Err(self.past_end(what, id));
            }
            Ok(())
        };
        for &id in &self.fat_ids {
            within("the FAT list", id, self.ss)?;
        }
        let follow = |what: &str, start: u32| -> Result<Vec<u32>, String> {
            let ids = self.chain(start, true);
            for &id in &ids {
                within(what, id, self.ss)?;
            }
            Ok(ids)
        };
        follow(
            "the directory chain",
            u32_in(self.bytes, 0x30).ok_or_else(short)?,
        )?;
        // The mini stream (the root entry's chain) and the mini FAT, read when the header
        // counts mini FAT sectors.
        let mut mini_fat: Vec<u32> = Vec::new();
        if u32_in(self.bytes, 0x40).ok_or_else(short)? > 0 {
            if let Some(root) = self.entries.first() {
                follow("the mini stream", root.start)?;
            }
            for id in follow("the mini FAT", u32_in(self.bytes, 0x3C).ok_or_else(short)?)? {
                mini_fat.extend(words(self.sector(id)));
            }
        }
        // The streams calamine reads: the workbook, and with macros, any.
        let macros = self.entries.iter().any(|e| e.name == "_VBA_PROJECT_CUR");
        let workbook = self
            .entries
            .iter()
            .find(|e| e.name == "Workbook")
            .or_else(|| self.entries.iter().find(|e| e.name == "Book"));
        let read: Vec<&Entry> = if macros {
            self.entries.iter().filter(|e| e.kind == 2).collect()
        } else {
            workbook.into_iter().collect()
        };
        for e in read {
            let what = format!("the stream '{}'", e.name);
            if e.len >= MINI_CUTOFF {
                follow(&what, e.start)?;
                continue;
            }
            // A mini chain: mini FAT entries, 64-byte sectors of the mini stream, and no
            // cycle check in calamine.
            let mut id = e.start;
            let mut hops = 0;
            while id != END_OF_CHAIN {
                within(&what, id, MINI_SECTOR)?;
                let Some(&next) = mini_fat.get(id as usize) else {
                    break;
                };
                hops += 1;
                if hops > mini_fat.len() {
                    return Err(format!("{what} loops"));
                }
                id = next;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file of 512-byte sectors: header, one FAT sector (sector 0), one directory
    /// sector (sector 1) with a root entry and a `Workbook` stream of `wb_len` bytes starting at
    /// sector `wb_start` (sectors 2.. hold its data, chained in order).
    fn cfb(wb_start: u32, wb_len: u32, data_sectors: u32) -> Vec<u8> {
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        h[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        h[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        h[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        h[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // FAT sectors
        h[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory start
        h[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        h[0x3C..0x40].copy_from_slice(&END_OF_CHAIN.to_le_bytes()); // no mini FAT
        h[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes()); // no DIFAT sectors
        for i in 0..109 {
            let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            h[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let mut fat = vec![0xFFFF_FFFFu32; 128];
        fat[0] = 0xFFFF_FFFD; // FATSECT
        fat[1] = END_OF_CHAIN;
        for s in 0..data_sectors {
            fat[2 + s as usize] = if s + 1 == data_sectors {
                END_OF_CHAIN
            } else {
                3 + s
            };
        }
        let mut out = h;
        out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
        let mut dir = vec![0u8; 512];
        let entry = |d: &mut [u8], name: &str, kind: u8, start: u32, len: u32| {
            for (i, u) in name.encode_utf16().enumerate() {
                d[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            d[64..66].copy_from_slice(&((name.len() as u16 + 1) * 2).to_le_bytes());
            d[66] = kind;
            d[116..120].copy_from_slice(&start.to_le_bytes());
            d[120..124].copy_from_slice(&len.to_le_bytes());
        };
        entry(&mut dir[..128], "Root Entry", 5, END_OF_CHAIN, 0);
        entry(&mut dir[128..256], "Workbook", 2, wb_start, wb_len);
        out.extend(dir);
        out.extend(vec![0u8; 512 * data_sectors as usize]);
        out
    }

    #[test]
    fn a_well_formed_file_passes() {
        assert_eq!(check_calamine(&cfb(2, 8192, 16)), Ok(()));
    }

    #[test]
    fn sector_ids_past_the_end_are_refused() {
        // The workbook's chain starts past the end (calamine would reserve 2 TB for it).
        let e = check_calamine(&cfb(0xFFFF_0000, 8192, 16)).unwrap_err();
        assert!(e.contains("past the end"), "{e}");
        // A small workbook lives in the mini stream: its chain starts out of reach.
        let e = check_calamine(&cfb(0xFFFF_0000, 100, 16)).unwrap_err();
        assert!(e.contains("'Workbook'"), "{e}");
        // A FAT sector listed past the end.
        let mut f = cfb(2, 8192, 16);
        f[0x50..0x54].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        let e = check_calamine(&f).unwrap_err();
        assert!(e.contains("FAT list"), "{e}");
        // A DIFAT chain that starts past the end.
        let mut f = cfb(2, 8192, 16);
        f[0x44..0x48].copy_from_slice(&0x0100_0000u32.to_le_bytes());
        let e = check_calamine(&f).unwrap_err();
        assert!(e.contains("DIFAT"), "{e}");
    }

    #[test]
    fn a_chain_a_little_past_the_end_is_left_to_the_parser() {
        // calamine reads what is there; only an id out of reach is refused.
        let mut f = cfb(2, 4096, 16);
        f.truncate(f.len() - 1024);
        assert_eq!(check_calamine(&f), Ok(()));
        assert_eq!(check(&cfb(0xFFFF_0000, 8192, 16)), Ok(()));
    }

    #[test]
    fn loops_and_oversized_claims_are_refused() {
        // The workbook's last sector links back to its first.
        let mut f = cfb(2, 8192, 16);
        let last = 512 + 4 * 17;
        f[last..last + 4].copy_from_slice(&2u32.to_le_bytes());
        assert!(check_calamine(&f).unwrap_err().contains("loops"));
        // A stream claiming 4 GB.
        let e = check_calamine(&cfb(2, 0xFFFF_FF00, 16)).unwrap_err();
        assert!(e.contains("claims"), "{e}");
        // A header counting more directory sectors than the file has.
        let mut f = cfb(2, 8192, 16);
        f[0x28..0x2C].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(check_calamine(&f)
            .unwrap_err()
            .contains("directory sectors"));
    }
}
