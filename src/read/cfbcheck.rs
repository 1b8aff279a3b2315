//! A guard for legacy `.xls` (OLE compound file) input, run before calamine sees the bytes.
//!
//! calamine 0.30 follows FAT sector chains without a cycle check and pre-allocates each stream
//! at the size its directory entry claims, so a 5 KB crafted file can make it allocate without
//! bound (found by `cargo fuzz run extract`; `fixtures/bad/fuzz-regressions/xls-cfb-chain-oom.xls`).
//! It also takes the header's sector counts (directory, FAT, mini FAT) as capacities to reserve
//! (`count x sector size`: 2 TB for a count of 2^32-1; `fixtures/bad/crash/xls-dir-sectors-2tb.xls`).
//! This check refuses compound files whose FAT has a cycle, whose header counts more sectors than
//! the file holds, or whose streams claim more bytes than the file holds. A valid file has none.

/// `Err(detail)` when the compound file is malformed in a way that could exhaust memory.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let u16_at = |o: usize| {
        bytes
            .get(o..o + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |o: usize| {
        bytes
            .get(o..o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let short = || "the compound file header is cut short".to_string();
    let shift = u16_at(0x1E).ok_or_else(short)?;
    if shift != 9 && shift != 12 {
        return Err(format!("bad sector size 2^{shift}"));
    }
    let ss = 1usize << shift;
    let nsect = bytes.len().saturating_sub(512).div_ceil(ss);
    // Sector counts in the header (directory, FAT, mini FAT): at most the sectors in the file.
    for (what, at) in [("directory", 0x28), ("FAT", 0x2C), ("mini FAT", 0x40)] {
        let n = u32_at(at).ok_or_else(short)? as usize;
        if n > nsect {
            return Err(format!(
                "the compound file header counts {n} {what} sectors in a file of {nsect}"
            ));
        }
    }
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(ss)?;
        bytes.get(start..(start + ss).min(bytes.len()))
    };
    // FAT sector ids: 109 in the header, then the DIFAT chain (bounded by the sector count).
    let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| u32_at(0x4C + 4 * i)).collect();
    let mut difat = u32_at(0x44).ok_or_else(short)?;
    let mut hops = 0;
    while (difat as usize) < nsect {
        hops += 1;
        if hops > nsect {
            return Err("the DIFAT chain loops".into());
        }
        let s = sector(difat).ok_or_else(short)?;
        let ids: Vec<u32> = s
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let (last, rest) = ids.split_last().ok_or_else(short)?;
        fat_ids.extend_from_slice(rest);
        difat = *last;
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_ids.into_iter().filter(|&id| (id as usize) < nsect) {
        let s = sector(id).ok_or_else(short)?;
        fat.extend(
            s.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        if fat.len() > nsect + ss {
            break;
        }
    }
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
    // Directory entries: no stream may claim more bytes than the file has.
    let mut dir = u32_at(0x30).ok_or_else(short)?;
    let mut hops = 0;
    while (dir as usize) < nsect && hops <= nsect {
        hops += 1;
        let s = sector(dir).ok_or_else(short)?;
        for e in s.chunks_exact(128) {
            let kind = e[66];
            let size = u32::from_le_bytes([e[120], e[121], e[122], e[123]]) as usize;
            if (kind == 2 || kind == 5) && size > bytes.len().max(4096) {
                return Err(format!(
                    "a stream claims {size} bytes in a {}-byte file",
                    bytes.len()
                ));
            }
        }
        dir = fat.get(dir as usize).copied().unwrap_or(u32::MAX);
    }
    Ok(())
}
