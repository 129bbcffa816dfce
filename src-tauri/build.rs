fn main() {
    // Without the desktop feature (the fuzz targets) there is no window to build a context for.
    #[cfg(feature = "desktop")]
    tauri_build::build()
}
