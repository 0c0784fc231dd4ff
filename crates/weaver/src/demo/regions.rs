//! The demo's regions: the three countries, every region of each country
//! at the level its regional activity is written (China's 31 provincial
//! divisions, GB/T 2260; Germany's 38 and France's 27 NUTS-2 regions, NUTS
//! 2021), the levels above them and the cities and départements where a
//! demo cluster sits. Codes and names are real; centroids are approximate
//! (the region's capital, two decimals) and the boundaries written from them
//! are schematic squares, labelled as such.

/// One region of the demo.
pub(super) struct RegionSpec {
    pub(super) id: &'static str,
    pub(super) name: &'static str,
    pub(super) name_en: &'static str,
    pub(super) level: &'static str,
    /// The region above it (empty for a country).
    pub(super) parent: &'static str,
    /// ISO 3166-1 alpha-2.
    pub(super) country: &'static str,
    pub(super) lat: f64,
    pub(super) lon: f64,
    /// Jobs in the 30 industries in 2015 where the regional activity is
    /// written at this region's level; 0 elsewhere.
    pub(super) jobs: f64,
}

/// The region with this id.
pub(super) fn region(id: &str) -> Option<&'static RegionSpec> {
    REGIONS.iter().find(|r| r.id == id)
}

/// The region of `id` or above it at which the activity is written.
pub(super) fn activity_region(id: &str) -> Option<&'static RegionSpec> {
    let mut r = region(id)?;
    loop {
        if r.jobs > 0.0 {
            return Some(r);
        }
        r = region(r.parent)?;
    }
}

#[rustfmt::skip]
pub(super) const REGIONS: &[RegionSpec] = &[
    RegionSpec { id: "CN", name: "中国", name_en: "China", level: "country", parent: "", country: "CN", lat: 35.00, lon: 103.00, jobs: 0e6 },
    RegionSpec { id: "DE", name: "Deutschland", name_en: "Germany", level: "country", parent: "", country: "DE", lat: 51.00, lon: 10.00, jobs: 0e6 },
    RegionSpec { id: "FR", name: "France", name_en: "France", level: "country", parent: "", country: "FR", lat: 46.50, lon: 2.50, jobs: 0e6 },
    RegionSpec { id: "110000", name: "北京市", name_en: "Beijing", level: "province", parent: "CN", country: "CN", lat: 39.90, lon: 116.40, jobs: 6e6 },
    RegionSpec { id: "120000", name: "天津市", name_en: "Tianjin", level: "province", parent: "CN", country: "CN", lat: 39.13, lon: 117.20, jobs: 3.2e6 },
    RegionSpec { id: "130000", name: "河北省", name_en: "Hebei", level: "province", parent: "CN", country: "CN", lat: 38.04, lon: 114.51, jobs: 5.5e6 },
    RegionSpec { id: "140000", name: "山西省", name_en: "Shanxi", level: "province", parent: "CN", country: "CN", lat: 37.87, lon: 112.55, jobs: 2.6e6 },
    RegionSpec { id: "150000", name: "内蒙古自治区", name_en: "Inner Mongolia", level: "province", parent: "CN", country: "CN", lat: 40.84, lon: 111.75, jobs: 2e6 },
    RegionSpec { id: "210000", name: "辽宁省", name_en: "Liaoning", level: "province", parent: "CN", country: "CN", lat: 41.80, lon: 123.43, jobs: 4.2e6 },
    RegionSpec { id: "220000", name: "吉林省", name_en: "Jilin", level: "province", parent: "CN", country: "CN", lat: 43.82, lon: 125.32, jobs: 2.2e6 },
    RegionSpec { id: "230000", name: "黑龙江省", name_en: "Heilongjiang", level: "province", parent: "CN", country: "CN", lat: 45.75, lon: 126.63, jobs: 2.8e6 },
    RegionSpec { id: "310000", name: "上海市", name_en: "Shanghai", level: "province", parent: "CN", country: "CN", lat: 31.23, lon: 121.47, jobs: 7e6 },
    RegionSpec { id: "320000", name: "江苏省", name_en: "Jiangsu", level: "province", parent: "CN", country: "CN", lat: 32.06, lon: 118.80, jobs: 13e6 },
    RegionSpec { id: "330000", name: "浙江省", name_en: "Zhejiang", level: "province", parent: "CN", country: "CN", lat: 30.27, lon: 120.15, jobs: 11e6 },
    RegionSpec { id: "340000", name: "安徽省", name_en: "Anhui", level: "province", parent: "CN", country: "CN", lat: 31.82, lon: 117.23, jobs: 5.2e6 },
    RegionSpec { id: "350000", name: "福建省", name_en: "Fujian", level: "province", parent: "CN", country: "CN", lat: 26.08, lon: 119.30, jobs: 5.6e6 },
    RegionSpec { id: "360000", name: "江西省", name_en: "Jiangxi", level: "province", parent: "CN", country: "CN", lat: 28.68, lon: 115.86, jobs: 3.6e6 },
    RegionSpec { id: "370000", name: "山东省", name_en: "Shandong", level: "province", parent: "CN", country: "CN", lat: 36.65, lon: 117.12, jobs: 10.5e6 },
    RegionSpec { id: "410000", name: "河南省", name_en: "Henan", level: "province", parent: "CN", country: "CN", lat: 34.75, lon: 113.62, jobs: 8e6 },
    RegionSpec { id: "420000", name: "湖北省", name_en: "Hubei", level: "province", parent: "CN", country: "CN", lat: 30.59, lon: 114.31, jobs: 5.8e6 },
    RegionSpec { id: "430000", name: "湖南省", name_en: "Hunan", level: "province", parent: "CN", country: "CN", lat: 28.23, lon: 112.94, jobs: 5.4e6 },
    RegionSpec { id: "440000", name: "广东省", name_en: "Guangdong", level: "province", parent: "CN", country: "CN", lat: 23.13, lon: 113.26, jobs: 16e6 },
    RegionSpec { id: "450000", name: "广西壮族自治区", name_en: "Guangxi", level: "province", parent: "CN", country: "CN", lat: 22.82, lon: 108.37, jobs: 3.1e6 },
    RegionSpec { id: "460000", name: "海南省", name_en: "Hainan", level: "province", parent: "CN", country: "CN", lat: 20.04, lon: 110.20, jobs: 0.7e6 },
    RegionSpec { id: "500000", name: "重庆市", name_en: "Chongqing", level: "province", parent: "CN", country: "CN", lat: 29.56, lon: 106.55, jobs: 3.9e6 },
    RegionSpec { id: "510000", name: "四川省", name_en: "Sichuan", level: "province", parent: "CN", country: "CN", lat: 30.66, lon: 104.07, jobs: 6.8e6 },
    RegionSpec { id: "520000", name: "贵州省", name_en: "Guizhou", level: "province", parent: "CN", country: "CN", lat: 26.65, lon: 106.63, jobs: 2.1e6 },
    RegionSpec { id: "530000", name: "云南省", name_en: "Yunnan", level: "province", parent: "CN", country: "CN", lat: 25.04, lon: 102.71, jobs: 2.6e6 },
    RegionSpec { id: "540000", name: "西藏自治区", name_en: "Tibet", level: "province", parent: "CN", country: "CN", lat: 29.65, lon: 91.13, jobs: 0.2e6 },
    RegionSpec { id: "610000", name: "陕西省", name_en: "Shaanxi", level: "province", parent: "CN", country: "CN", lat: 34.34, lon: 108.94, jobs: 3.6e6 },
    RegionSpec { id: "620000", name: "甘肃省", name_en: "Gansu", level: "province", parent: "CN", country: "CN", lat: 36.06, lon: 103.83, jobs: 1.5e6 },
    RegionSpec { id: "630000", name: "青海省", name_en: "Qinghai", level: "province", parent: "CN", country: "CN", lat: 36.62, lon: 101.78, jobs: 0.4e6 },
    RegionSpec { id: "640000", name: "宁夏回族自治区", name_en: "Ningxia", level: "province", parent: "CN", country: "CN", lat: 38.49, lon: 106.23, jobs: 0.5e6 },
    RegionSpec { id: "650000", name: "新疆维吾尔自治区", name_en: "Xinjiang", level: "province", parent: "CN", country: "CN", lat: 43.83, lon: 87.62, jobs: 1.8e6 },
    RegionSpec { id: "440300", name: "深圳市", name_en: "Shenzhen", level: "prefecture", parent: "440000", country: "CN", lat: 22.54, lon: 114.06, jobs: 0e6 },
    RegionSpec { id: "320500", name: "苏州市", name_en: "Suzhou", level: "prefecture", parent: "320000", country: "CN", lat: 31.30, lon: 120.59, jobs: 0e6 },
    RegionSpec { id: "340100", name: "合肥市", name_en: "Hefei", level: "prefecture", parent: "340000", country: "CN", lat: 31.82, lon: 117.23, jobs: 0e6 },
    RegionSpec { id: "510100", name: "成都市", name_en: "Chengdu", level: "prefecture", parent: "510000", country: "CN", lat: 30.66, lon: 104.07, jobs: 0e6 },
    RegionSpec { id: "420100", name: "武汉市", name_en: "Wuhan", level: "prefecture", parent: "420000", country: "CN", lat: 30.59, lon: 114.31, jobs: 0e6 },
    RegionSpec { id: "610100", name: "西安市", name_en: "Xi'an", level: "prefecture", parent: "610000", country: "CN", lat: 34.34, lon: 108.94, jobs: 0e6 },
    RegionSpec { id: "330100", name: "杭州市", name_en: "Hangzhou", level: "prefecture", parent: "330000", country: "CN", lat: 30.27, lon: 120.15, jobs: 0e6 },
    RegionSpec { id: "370200", name: "青岛市", name_en: "Qingdao", level: "prefecture", parent: "370000", country: "CN", lat: 36.07, lon: 120.38, jobs: 0e6 },
    RegionSpec { id: "430100", name: "长沙市", name_en: "Changsha", level: "prefecture", parent: "430000", country: "CN", lat: 28.23, lon: 112.94, jobs: 0e6 },
    RegionSpec { id: "350900", name: "宁德市", name_en: "Ningde", level: "prefecture", parent: "350000", country: "CN", lat: 26.66, lon: 119.55, jobs: 0e6 },
    RegionSpec { id: "210300", name: "鞍山市", name_en: "Anshan", level: "prefecture", parent: "210000", country: "CN", lat: 41.11, lon: 122.99, jobs: 0e6 },
    RegionSpec { id: "DE1", name: "Baden-Württemberg", name_en: "Baden-Württemberg", level: "NUTS-1", parent: "DE", country: "DE", lat: 48.78, lon: 9.18, jobs: 0e6 },
    RegionSpec { id: "DE2", name: "Bayern", name_en: "Bayern", level: "NUTS-1", parent: "DE", country: "DE", lat: 48.14, lon: 11.58, jobs: 0e6 },
    RegionSpec { id: "DE3", name: "Berlin", name_en: "Berlin", level: "NUTS-1", parent: "DE", country: "DE", lat: 52.52, lon: 13.40, jobs: 0e6 },
    RegionSpec { id: "DE4", name: "Brandenburg", name_en: "Brandenburg", level: "NUTS-1", parent: "DE", country: "DE", lat: 52.40, lon: 13.07, jobs: 0e6 },
    RegionSpec { id: "DE5", name: "Bremen", name_en: "Bremen", level: "NUTS-1", parent: "DE", country: "DE", lat: 53.08, lon: 8.80, jobs: 0e6 },
    RegionSpec { id: "DE6", name: "Hamburg", name_en: "Hamburg", level: "NUTS-1", parent: "DE", country: "DE", lat: 53.55, lon: 9.99, jobs: 0e6 },
    RegionSpec { id: "DE7", name: "Hessen", name_en: "Hessen", level: "NUTS-1", parent: "DE", country: "DE", lat: 50.08, lon: 8.24, jobs: 0e6 },
    RegionSpec { id: "DE8", name: "Mecklenburg-Vorpommern", name_en: "Mecklenburg-Vorpommern", level: "NUTS-1", parent: "DE", country: "DE", lat: 53.63, lon: 11.41, jobs: 0e6 },
    RegionSpec { id: "DE9", name: "Niedersachsen", name_en: "Niedersachsen", level: "NUTS-1", parent: "DE", country: "DE", lat: 52.37, lon: 9.74, jobs: 0e6 },
    RegionSpec { id: "DEA", name: "Nordrhein-Westfalen", name_en: "Nordrhein-Westfalen", level: "NUTS-1", parent: "DE", country: "DE", lat: 51.23, lon: 6.78, jobs: 0e6 },
    RegionSpec { id: "DEB", name: "Rheinland-Pfalz", name_en: "Rheinland-Pfalz", level: "NUTS-1", parent: "DE", country: "DE", lat: 50.00, lon: 8.27, jobs: 0e6 },
    RegionSpec { id: "DEC", name: "Saarland", name_en: "Saarland", level: "NUTS-1", parent: "DE", country: "DE", lat: 49.24, lon: 6.99, jobs: 0e6 },
    RegionSpec { id: "DED", name: "Sachsen", name_en: "Sachsen", level: "NUTS-1", parent: "DE", country: "DE", lat: 51.05, lon: 13.74, jobs: 0e6 },
    RegionSpec { id: "DEE", name: "Sachsen-Anhalt", name_en: "Sachsen-Anhalt", level: "NUTS-1", parent: "DE", country: "DE", lat: 52.13, lon: 11.63, jobs: 0e6 },
    RegionSpec { id: "DEF", name: "Schleswig-Holstein", name_en: "Schleswig-Holstein", level: "NUTS-1", parent: "DE", country: "DE", lat: 54.32, lon: 10.14, jobs: 0e6 },
    RegionSpec { id: "DEG", name: "Thüringen", name_en: "Thüringen", level: "NUTS-1", parent: "DE", country: "DE", lat: 50.98, lon: 11.03, jobs: 0e6 },
    RegionSpec { id: "DE11", name: "Stuttgart", name_en: "Stuttgart", level: "NUTS-2", parent: "DE1", country: "DE", lat: 48.78, lon: 9.18, jobs: 1.3e6 },
    RegionSpec { id: "DE12", name: "Karlsruhe", name_en: "Karlsruhe", level: "NUTS-2", parent: "DE1", country: "DE", lat: 49.01, lon: 8.40, jobs: 0.95e6 },
    RegionSpec { id: "DE13", name: "Freiburg", name_en: "Freiburg", level: "NUTS-2", parent: "DE1", country: "DE", lat: 47.99, lon: 7.85, jobs: 0.75e6 },
    RegionSpec { id: "DE14", name: "Tübingen", name_en: "Tübingen", level: "NUTS-2", parent: "DE1", country: "DE", lat: 48.52, lon: 9.06, jobs: 0.6e6 },
    RegionSpec { id: "DE21", name: "Oberbayern", name_en: "Oberbayern", level: "NUTS-2", parent: "DE2", country: "DE", lat: 48.14, lon: 11.58, jobs: 1.6e6 },
    RegionSpec { id: "DE22", name: "Niederbayern", name_en: "Niederbayern", level: "NUTS-2", parent: "DE2", country: "DE", lat: 48.57, lon: 12.15, jobs: 0.42e6 },
    RegionSpec { id: "DE23", name: "Oberpfalz", name_en: "Oberpfalz", level: "NUTS-2", parent: "DE2", country: "DE", lat: 49.01, lon: 12.10, jobs: 0.42e6 },
    RegionSpec { id: "DE24", name: "Oberfranken", name_en: "Oberfranken", level: "NUTS-2", parent: "DE2", country: "DE", lat: 49.94, lon: 11.58, jobs: 0.38e6 },
    RegionSpec { id: "DE25", name: "Mittelfranken", name_en: "Mittelfranken", level: "NUTS-2", parent: "DE2", country: "DE", lat: 49.45, lon: 11.08, jobs: 0.66e6 },
    RegionSpec { id: "DE26", name: "Unterfranken", name_en: "Unterfranken", level: "NUTS-2", parent: "DE2", country: "DE", lat: 49.79, lon: 9.95, jobs: 0.48e6 },
    RegionSpec { id: "DE27", name: "Schwaben", name_en: "Schwaben", level: "NUTS-2", parent: "DE2", country: "DE", lat: 48.37, lon: 10.90, jobs: 0.7e6 },
    RegionSpec { id: "DE30", name: "Berlin", name_en: "Berlin", level: "NUTS-2", parent: "DE3", country: "DE", lat: 52.52, lon: 13.40, jobs: 1.1e6 },
    RegionSpec { id: "DE40", name: "Brandenburg", name_en: "Brandenburg", level: "NUTS-2", parent: "DE4", country: "DE", lat: 52.40, lon: 13.07, jobs: 0.6e6 },
    RegionSpec { id: "DE50", name: "Bremen", name_en: "Bremen", level: "NUTS-2", parent: "DE5", country: "DE", lat: 53.08, lon: 8.80, jobs: 0.25e6 },
    RegionSpec { id: "DE60", name: "Hamburg", name_en: "Hamburg", level: "NUTS-2", parent: "DE6", country: "DE", lat: 53.55, lon: 9.99, jobs: 0.8e6 },
    RegionSpec { id: "DE71", name: "Darmstadt", name_en: "Darmstadt", level: "NUTS-2", parent: "DE7", country: "DE", lat: 49.87, lon: 8.65, jobs: 1.2e6 },
    RegionSpec { id: "DE72", name: "Gießen", name_en: "Gießen", level: "NUTS-2", parent: "DE7", country: "DE", lat: 50.58, lon: 8.68, jobs: 0.32e6 },
    RegionSpec { id: "DE73", name: "Kassel", name_en: "Kassel", level: "NUTS-2", parent: "DE7", country: "DE", lat: 51.31, lon: 9.48, jobs: 0.38e6 },
    RegionSpec { id: "DE80", name: "Mecklenburg-Vorpommern", name_en: "Mecklenburg-Vorpommern", level: "NUTS-2", parent: "DE8", country: "DE", lat: 53.63, lon: 11.41, jobs: 0.45e6 },
    RegionSpec { id: "DE91", name: "Braunschweig", name_en: "Braunschweig", level: "NUTS-2", parent: "DE9", country: "DE", lat: 52.27, lon: 10.52, jobs: 0.5e6 },
    RegionSpec { id: "DE92", name: "Hannover", name_en: "Hannover", level: "NUTS-2", parent: "DE9", country: "DE", lat: 52.37, lon: 9.74, jobs: 0.7e6 },
    RegionSpec { id: "DE93", name: "Lüneburg", name_en: "Lüneburg", level: "NUTS-2", parent: "DE9", country: "DE", lat: 53.25, lon: 10.41, jobs: 0.45e6 },
    RegionSpec { id: "DE94", name: "Weser-Ems", name_en: "Weser-Ems", level: "NUTS-2", parent: "DE9", country: "DE", lat: 53.14, lon: 8.21, jobs: 0.85e6 },
    RegionSpec { id: "DEA1", name: "Düsseldorf", name_en: "Düsseldorf", level: "NUTS-2", parent: "DEA", country: "DE", lat: 51.23, lon: 6.78, jobs: 1.6e6 },
    RegionSpec { id: "DEA2", name: "Köln", name_en: "Köln", level: "NUTS-2", parent: "DEA", country: "DE", lat: 50.94, lon: 6.96, jobs: 1.4e6 },
    RegionSpec { id: "DEA3", name: "Münster", name_en: "Münster", level: "NUTS-2", parent: "DEA", country: "DE", lat: 51.96, lon: 7.63, jobs: 0.8e6 },
    RegionSpec { id: "DEA4", name: "Detmold", name_en: "Detmold", level: "NUTS-2", parent: "DEA", country: "DE", lat: 51.94, lon: 8.88, jobs: 0.7e6 },
    RegionSpec { id: "DEA5", name: "Arnsberg", name_en: "Arnsberg", level: "NUTS-2", parent: "DEA", country: "DE", lat: 51.40, lon: 8.06, jobs: 1.2e6 },
    RegionSpec { id: "DEB1", name: "Koblenz", name_en: "Koblenz", level: "NUTS-2", parent: "DEB", country: "DE", lat: 50.36, lon: 7.59, jobs: 0.45e6 },
    RegionSpec { id: "DEB2", name: "Trier", name_en: "Trier", level: "NUTS-2", parent: "DEB", country: "DE", lat: 49.75, lon: 6.64, jobs: 0.15e6 },
    RegionSpec { id: "DEB3", name: "Rheinhessen-Pfalz", name_en: "Rheinhessen-Pfalz", level: "NUTS-2", parent: "DEB", country: "DE", lat: 49.99, lon: 8.25, jobs: 0.7e6 },
    RegionSpec { id: "DEC0", name: "Saarland", name_en: "Saarland", level: "NUTS-2", parent: "DEC", country: "DE", lat: 49.24, lon: 6.99, jobs: 0.3e6 },
    RegionSpec { id: "DED2", name: "Dresden", name_en: "Dresden", level: "NUTS-2", parent: "DED", country: "DE", lat: 51.05, lon: 13.74, jobs: 0.52e6 },
    RegionSpec { id: "DED4", name: "Chemnitz", name_en: "Chemnitz", level: "NUTS-2", parent: "DED", country: "DE", lat: 50.83, lon: 12.92, jobs: 0.5e6 },
    RegionSpec { id: "DED5", name: "Leipzig", name_en: "Leipzig", level: "NUTS-2", parent: "DED", country: "DE", lat: 51.34, lon: 12.37, jobs: 0.36e6 },
    RegionSpec { id: "DEE0", name: "Sachsen-Anhalt", name_en: "Sachsen-Anhalt", level: "NUTS-2", parent: "DEE", country: "DE", lat: 52.13, lon: 11.63, jobs: 0.65e6 },
    RegionSpec { id: "DEF0", name: "Schleswig-Holstein", name_en: "Schleswig-Holstein", level: "NUTS-2", parent: "DEF", country: "DE", lat: 54.32, lon: 10.14, jobs: 0.8e6 },
    RegionSpec { id: "DEG0", name: "Thüringen", name_en: "Thüringen", level: "NUTS-2", parent: "DEG", country: "DE", lat: 50.98, lon: 11.03, jobs: 0.7e6 },
    RegionSpec { id: "FR1", name: "Île-de-France", name_en: "Île-de-France", level: "NUTS-1", parent: "FR", country: "FR", lat: 48.86, lon: 2.35, jobs: 0e6 },
    RegionSpec { id: "FRB", name: "Centre — Val de Loire", name_en: "Centre — Val de Loire", level: "NUTS-1", parent: "FR", country: "FR", lat: 47.90, lon: 1.90, jobs: 0e6 },
    RegionSpec { id: "FRC", name: "Bourgogne-Franche-Comté", name_en: "Bourgogne-Franche-Comté", level: "NUTS-1", parent: "FR", country: "FR", lat: 47.32, lon: 5.04, jobs: 0e6 },
    RegionSpec { id: "FRD", name: "Normandie", name_en: "Normandy", level: "NUTS-1", parent: "FR", country: "FR", lat: 49.44, lon: 1.10, jobs: 0e6 },
    RegionSpec { id: "FRE", name: "Hauts-de-France", name_en: "Hauts-de-France", level: "NUTS-1", parent: "FR", country: "FR", lat: 50.63, lon: 3.06, jobs: 0e6 },
    RegionSpec { id: "FRF", name: "Grand Est", name_en: "Grand Est", level: "NUTS-1", parent: "FR", country: "FR", lat: 48.58, lon: 7.75, jobs: 0e6 },
    RegionSpec { id: "FRG", name: "Pays de la Loire", name_en: "Pays de la Loire", level: "NUTS-1", parent: "FR", country: "FR", lat: 47.22, lon: -1.55, jobs: 0e6 },
    RegionSpec { id: "FRH", name: "Bretagne", name_en: "Brittany", level: "NUTS-1", parent: "FR", country: "FR", lat: 48.11, lon: -1.68, jobs: 0e6 },
    RegionSpec { id: "FRI", name: "Nouvelle-Aquitaine", name_en: "Nouvelle-Aquitaine", level: "NUTS-1", parent: "FR", country: "FR", lat: 44.84, lon: -0.58, jobs: 0e6 },
    RegionSpec { id: "FRJ", name: "Occitanie", name_en: "Occitanie", level: "NUTS-1", parent: "FR", country: "FR", lat: 43.60, lon: 1.44, jobs: 0e6 },
    RegionSpec { id: "FRK", name: "Auvergne-Rhône-Alpes", name_en: "Auvergne-Rhône-Alpes", level: "NUTS-1", parent: "FR", country: "FR", lat: 45.76, lon: 4.84, jobs: 0e6 },
    RegionSpec { id: "FRL", name: "Provence-Alpes-Côte d'Azur", name_en: "Provence-Alpes-Côte d'Azur", level: "NUTS-1", parent: "FR", country: "FR", lat: 43.30, lon: 5.37, jobs: 0e6 },
    RegionSpec { id: "FRM", name: "Corse", name_en: "Corsica", level: "NUTS-1", parent: "FR", country: "FR", lat: 41.93, lon: 8.74, jobs: 0e6 },
    RegionSpec { id: "FRY", name: "Régions ultrapériphériques françaises", name_en: "French outermost regions", level: "NUTS-1", parent: "FR", country: "FR", lat: 16.24, lon: -61.53, jobs: 0e6 },
    RegionSpec { id: "FR10", name: "Île-de-France", name_en: "Île-de-France", level: "NUTS-2", parent: "FR1", country: "FR", lat: 48.86, lon: 2.35, jobs: 3.2e6 },
    RegionSpec { id: "FRB0", name: "Centre — Val de Loire", name_en: "Centre — Val de Loire", level: "NUTS-2", parent: "FRB", country: "FR", lat: 47.90, lon: 1.90, jobs: 0.55e6 },
    RegionSpec { id: "FRC1", name: "Bourgogne", name_en: "Burgundy", level: "NUTS-2", parent: "FRC", country: "FR", lat: 47.32, lon: 5.04, jobs: 0.35e6 },
    RegionSpec { id: "FRC2", name: "Franche-Comté", name_en: "Franche-Comté", level: "NUTS-2", parent: "FRC", country: "FR", lat: 47.24, lon: 6.02, jobs: 0.28e6 },
    RegionSpec { id: "FRD1", name: "Basse-Normandie", name_en: "Lower Normandy", level: "NUTS-2", parent: "FRD", country: "FR", lat: 49.18, lon: -0.37, jobs: 0.32e6 },
    RegionSpec { id: "FRD2", name: "Haute-Normandie", name_en: "Upper Normandy", level: "NUTS-2", parent: "FRD", country: "FR", lat: 49.44, lon: 1.10, jobs: 0.4e6 },
    RegionSpec { id: "FRE1", name: "Nord-Pas-de-Calais", name_en: "Nord-Pas-de-Calais", level: "NUTS-2", parent: "FRE", country: "FR", lat: 50.63, lon: 3.06, jobs: 0.85e6 },
    RegionSpec { id: "FRE2", name: "Picardie", name_en: "Picardy", level: "NUTS-2", parent: "FRE", country: "FR", lat: 49.89, lon: 2.30, jobs: 0.4e6 },
    RegionSpec { id: "FRF1", name: "Alsace", name_en: "Alsace", level: "NUTS-2", parent: "FRF", country: "FR", lat: 48.58, lon: 7.75, jobs: 0.45e6 },
    RegionSpec { id: "FRF2", name: "Champagne-Ardenne", name_en: "Champagne-Ardenne", level: "NUTS-2", parent: "FRF", country: "FR", lat: 49.26, lon: 4.03, jobs: 0.3e6 },
    RegionSpec { id: "FRF3", name: "Lorraine", name_en: "Lorraine", level: "NUTS-2", parent: "FRF", country: "FR", lat: 48.69, lon: 6.18, jobs: 0.5e6 },
    RegionSpec { id: "FRG0", name: "Pays de la Loire", name_en: "Pays de la Loire", level: "NUTS-2", parent: "FRG", country: "FR", lat: 47.22, lon: -1.55, jobs: 0.85e6 },
    RegionSpec { id: "FRH0", name: "Bretagne", name_en: "Brittany", level: "NUTS-2", parent: "FRH", country: "FR", lat: 48.11, lon: -1.68, jobs: 0.7e6 },
    RegionSpec { id: "FRI1", name: "Aquitaine", name_en: "Aquitaine", level: "NUTS-2", parent: "FRI", country: "FR", lat: 44.84, lon: -0.58, jobs: 0.7e6 },
    RegionSpec { id: "FRI2", name: "Limousin", name_en: "Limousin", level: "NUTS-2", parent: "FRI", country: "FR", lat: 45.83, lon: 1.26, jobs: 0.15e6 },
    RegionSpec { id: "FRI3", name: "Poitou-Charentes", name_en: "Poitou-Charentes", level: "NUTS-2", parent: "FRI", country: "FR", lat: 46.58, lon: 0.34, jobs: 0.35e6 },
    RegionSpec { id: "FRJ1", name: "Languedoc-Roussillon", name_en: "Languedoc-Roussillon", level: "NUTS-2", parent: "FRJ", country: "FR", lat: 43.61, lon: 3.88, jobs: 0.5e6 },
    RegionSpec { id: "FRJ2", name: "Midi-Pyrénées", name_en: "Midi-Pyrénées", level: "NUTS-2", parent: "FRJ", country: "FR", lat: 43.60, lon: 1.44, jobs: 0.65e6 },
    RegionSpec { id: "FRK1", name: "Auvergne", name_en: "Auvergne", level: "NUTS-2", parent: "FRK", country: "FR", lat: 45.78, lon: 3.08, jobs: 0.3e6 },
    RegionSpec { id: "FRK2", name: "Rhône-Alpes", name_en: "Rhône-Alpes", level: "NUTS-2", parent: "FRK", country: "FR", lat: 45.76, lon: 4.84, jobs: 1.4e6 },
    RegionSpec { id: "FRL0", name: "Provence-Alpes-Côte d'Azur", name_en: "Provence-Alpes-Côte d'Azur", level: "NUTS-2", parent: "FRL", country: "FR", lat: 43.30, lon: 5.37, jobs: 1e6 },
    RegionSpec { id: "FRM0", name: "Corse", name_en: "Corsica", level: "NUTS-2", parent: "FRM", country: "FR", lat: 41.93, lon: 8.74, jobs: 0.06e6 },
    RegionSpec { id: "FRY1", name: "Guadeloupe", name_en: "Guadeloupe", level: "NUTS-2", parent: "FRY", country: "FR", lat: 16.24, lon: -61.53, jobs: 0.06e6 },
    RegionSpec { id: "FRY2", name: "Martinique", name_en: "Martinique", level: "NUTS-2", parent: "FRY", country: "FR", lat: 14.60, lon: -61.07, jobs: 0.06e6 },
    RegionSpec { id: "FRY3", name: "Guyane", name_en: "French Guiana", level: "NUTS-2", parent: "FRY", country: "FR", lat: 4.94, lon: -52.33, jobs: 0.03e6 },
    RegionSpec { id: "FRY4", name: "La Réunion", name_en: "Réunion", level: "NUTS-2", parent: "FRY", country: "FR", lat: -20.88, lon: 55.45, jobs: 0.12e6 },
    RegionSpec { id: "FRY5", name: "Mayotte", name_en: "Mayotte", level: "NUTS-2", parent: "FRY", country: "FR", lat: -12.78, lon: 45.23, jobs: 0.02e6 },
    RegionSpec { id: "FR101", name: "Paris", name_en: "Paris", level: "NUTS-3", parent: "FR10", country: "FR", lat: 48.86, lon: 2.35, jobs: 0e6 },
    RegionSpec { id: "FRE11", name: "Nord", name_en: "Nord", level: "NUTS-3", parent: "FRE1", country: "FR", lat: 50.63, lon: 3.06, jobs: 0e6 },
    RegionSpec { id: "FRF11", name: "Bas-Rhin", name_en: "Bas-Rhin", level: "NUTS-3", parent: "FRF1", country: "FR", lat: 48.58, lon: 7.75, jobs: 0e6 },
    RegionSpec { id: "FRH03", name: "Ille-et-Vilaine", name_en: "Ille-et-Vilaine", level: "NUTS-3", parent: "FRH0", country: "FR", lat: 48.11, lon: -1.68, jobs: 0e6 },
    RegionSpec { id: "FRI12", name: "Gironde", name_en: "Gironde", level: "NUTS-3", parent: "FRI1", country: "FR", lat: 44.84, lon: -0.58, jobs: 0e6 },
    RegionSpec { id: "FRJ23", name: "Haute-Garonne", name_en: "Haute-Garonne", level: "NUTS-3", parent: "FRJ2", country: "FR", lat: 43.60, lon: 1.44, jobs: 0e6 },
    RegionSpec { id: "FRK24", name: "Isère", name_en: "Isère", level: "NUTS-3", parent: "FRK2", country: "FR", lat: 45.19, lon: 5.72, jobs: 0e6 },
    RegionSpec { id: "FRK26", name: "Rhône", name_en: "Rhône", level: "NUTS-3", parent: "FRK2", country: "FR", lat: 45.76, lon: 4.84, jobs: 0e6 },
    RegionSpec { id: "FRL04", name: "Bouches-du-Rhône", name_en: "Bouches-du-Rhône", level: "NUTS-3", parent: "FRL0", country: "FR", lat: 43.30, lon: 5.37, jobs: 0e6 },
];

/// Schematic boundaries of the regions where the activity is written: a
/// square around each approximate centroid (about 0.7° across in Europe,
/// 2.4° in China), labelled `schematic` in every feature, so that a map
/// can place the regions; they are not the regions' borders.
pub(super) fn schematic_boundaries() -> weaver_core::package::Boundaries {
    let mut features = Vec::new();
    let mut ids = Vec::new();
    for r in REGIONS.iter().filter(|r| r.jobs > 0.0) {
        let h = if r.country == "CN" { 1.2 } else { 0.35 };
        let (x0, x1, y0, y1) = (r.lon - h, r.lon + h, r.lat - h, r.lat + h);
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {
                "id": r.id,
                "name": r.name,
                "name_en": r.name_en,
                "schematic": true,
                "note": "schematic square around an approximate centroid, not the region's border (Weaver demo)",
            },
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
            },
        }));
        ids.push(r.id.to_owned());
    }
    let document = serde_json::json!({
        "type": "FeatureCollection",
        "name": "weaver demo: schematic region squares (synthetic, not borders)",
        "features": features,
    })
    .to_string();
    weaver_core::package::Boundaries {
        origin: "demo › regions.geojson".into(),
        document,
        ids,
    }
}
