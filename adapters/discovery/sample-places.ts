/**
 * SAMPLE DATA, NOT REAL LISTINGS. The offline provider set (offline.ts) answers from this file
 * when no provider key is configured, so `npm start` gives ranked results for six cities.
 *
 * The cities and their coordinates are real; every place is invented for the sample (a made-up
 * name and description, placed near a real town), and every URL is under
 * https://example.org/underfoot-sample/, which leads nowhere. Answers built from it say so in
 * `debug.sample_data`.
 *
 * A TypeScript module rather than JSON: it needs no JSON import support from tsc, esbuild or
 * the Functions packaging, and the types check the data.
 *
 * The places vary on purpose, so the ranking has something to rank: some use the underground
 * keywords (hidden, secret, local, dive, quirky, weird), some name their city, some are in town
 * and some 15 to 30 miles out, Reddit posts above and below the 100-upvote mark.
 */
import type { Coordinates, Source } from '../../domain/discovery/types.ts';
import type { SamplePlace } from '../../domain/discovery/ports.ts';

/** A gazetteer entry: what the sample geocoder answers for a city it knows. */
export interface SampleCity {
  /** The key places refer to (`SamplePlace.city`). */
  key: string;
  city: string;
  state: string;
  /** The USPS code: a different state named next to the city means another city of that name. */
  stateCode: string;
  /** Other names a location may use for it (matched like the city name). */
  aliases: readonly string[];
  /** As the geocoders normalise a location: "Pikeville, Kentucky, United States". */
  normalized: string;
  coordinates: Coordinates;
}

function city(key: string, name: string, state: string, stateCode: string, lat: number, lng: number, aliases: readonly string[] = []): SampleCity {
  return { key, city: name, state, stateCode, aliases, normalized: `${name}, ${state}, United States`, coordinates: { lat, lng } };
}

export const SAMPLE_CITIES: readonly SampleCity[] = [
  city('pikeville-ky', 'Pikeville', 'Kentucky', 'KY', 37.4793, -82.5188),
  city('asheville-nc', 'Asheville', 'North Carolina', 'NC', 35.5951, -82.5515, ['AVL']),
  city('portland-or', 'Portland', 'Oregon', 'OR', 45.5152, -122.6784, ['PDX']),
  city('atlanta-ga', 'Atlanta', 'Georgia', 'GA', 33.749, -84.388, ['ATL']),
  city('new-orleans-la', 'New Orleans', 'Louisiana', 'LA', 29.9511, -90.0715, ['NOLA']),
  city('austin-tx', 'Austin', 'Texas', 'TX', 30.2672, -97.7431, ['ATX']),
];

/** The factory of one city's places; a place's URL is the city's key and its slug under the sample prefix. */
function placesIn(cityKey: string) {
  return (source: Source, slug: string, name: string, description: string, [lat, lng]: readonly [number, number], upvotes?: number): SamplePlace => {
    const sample: SamplePlace = { city: cityKey, source, name, description, url: `https://example.org/underfoot-sample/${cityKey}/${slug}`, coordinates: { lat, lng } };
    if (upvotes !== undefined) sample.upvotes = upvotes;
    return sample;
  };
}

const pikeville = placesIn('pikeville-ky');
const asheville = placesIn('asheville-nc');
const portland = placesIn('portland-or');
const atlanta = placesIn('atlanta-ga');
const newOrleans = placesIn('new-orleans-la');
const austin = placesIn('austin-tx');

export const SAMPLE_PLACES: readonly SamplePlace[] = [
  // Pikeville, Kentucky: downtown, Elkhorn City and the Breaks (15-17 mi), Prestonsburg (19 mi), Paintsville (28 mi).
  pikeville('serp', 'big-sandy-record-exchange', 'Big Sandy Record Exchange',
    'A cramped, quirky basement shop off Main Street in Pikeville trading bluegrass LPs, local gospel 45s and secondhand banjos. Ask at the counter about the listening room in back.',
    [37.479, -82.5195]),
  pikeville('serp', 'coal-seam-supper-club', 'Coal Seam Supper Club',
    'Dinner served in a former mine office above the Levisa Fork: soup beans, skillet cornbread and a chalkboard of Kentucky bourbons. Reservations by phone only.',
    [37.4815, -82.517]),
  pikeville('serp', 'breaks-trailhead-coffee-window', 'Breaks Trailhead Coffee Window',
    'A secret coffee window at the start of the canyon trails by the Virginia line, where hikers fill thermoses before walking out to the sunrise overlook.',
    [37.2965, -82.2987]),
  pikeville('serp', 'paintsville-country-music-walk', 'Paintsville Country Music Walk',
    'A self-guided walk past the murals and childhood homes of eastern Kentucky country singers, ending at a small museum of stage costumes.',
    [37.8145, -82.8071]),
  pikeville('reddit', 'hidden-gems-locals-list', 'Hidden gems in Pikeville? A local\'s list',
    'Skip the chain strip by the highway. The dive bar under the old bank building has the best live fiddle on Thursdays, and the bakery on Second Street sells out of apple stack cake by ten.',
    [37.4788, -82.5199], 214),
  pikeville('reddit', 'swimming-hole-elkhorn-city', 'Best swimming hole within an hour of Pikeville',
    'A locals only kind of spot: a cold, clear pool below a small waterfall up a gravel road past Elkhorn City. Wear water shoes, the rocks are sharp.',
    [37.304, -82.351], 87),
  pikeville('reddit', 'cut-through-overlook', 'Underrated: the Cut-Through overlook at dusk',
    'The Pikeville Cut-Through moved a mountain to reroute a river and a railroad. There is an unmarked pull-off on the ridge with a view of the whole town as the lights come on.',
    [37.474, -82.525], 143),
  pikeville('reddit', 'rainy-day-prestonsburg', 'Rainy day ideas around Prestonsburg',
    'The old railroad depot has a model train layout run by volunteers on Saturdays, and the library basement holds a weird and wonderful used book sale once a month.',
    [37.6657, -82.771], 31),
  pikeville('eventbrite', 'friday-bluegrass-jam', 'Friday Night Bluegrass Jam at the Depot',
    'An open jam for pickers of every level. Bring an instrument or just a folding chair; coffee and fried pies from the local 4-H club.',
    [37.48, -82.518]),
  pikeville('eventbrite', 'feud-country-van-tour', 'Feud Country Van Tour',
    'A three-hour guided tour of the Hatfield and McCoy feud sites across the Tug Valley with a county historian, leaving from downtown Pikeville.',
    [37.4793, -82.5188]),
  pikeville('eventbrite', 'appalachian-quilt-show', 'Appalachian Quilt Show and Sale',
    'Hand-pieced quilts from twenty counties, judged and for sale, with hand-quilting demonstrations all weekend at the Prestonsburg convention hall.',
    [37.6657, -82.771]),

  // Asheville, North Carolina: downtown, River Arts District, Weaverville (7 mi), Black Mountain (13 mi), Marshall (16 mi), Brevard (27 mi).
  asheville('serp', 'lantern-room', 'The Lantern Room',
    'A secret bar behind a bookshelf in a downtown Asheville arcade: no sign, ring the bell twice. Small-batch cocktails with foraged syrups and a piano nobody is allowed to play.',
    [35.595, -82.553]),
  asheville('serp', 'river-arts-open-studios', 'River Arts District Open Studios',
    'More than two hundred working artists in old warehouses along the French Broad River. Most studios let you watch glassblowing and pottery in progress.',
    [35.5862, -82.5673]),
  asheville('serp', 'marshall-island-walk', 'Marshall Island Riverside Walk',
    'A tiny island park in the river town of Marshall, with an old school turned into artist studios and a quiet path under the sycamores.',
    [35.7973, -82.6843]),
  asheville('serp', 'white-squirrel-trail', 'White Squirrel Trail',
    'A quirky self-guided loop through Brevard looking for its famous white squirrels, with a stop at an old-time soda fountain.',
    [35.2334, -82.7343]),
  asheville('reddit', 'where-locals-eat', 'Asheville locals: where do you actually eat?',
    'Honest answers: a pupusa counter inside a West Asheville gas station, a dumpling shop with six stools, and the dive bar with free bluegrass on Mondays. Tourists never find any of them.',
    [35.578, -82.595], 356),
  asheville('reddit', 'black-mountain-hidden-hike', 'Hidden gem hike near Black Mountain',
    'An unmarked side trail off the main ridge leads to a rock outcrop looking back toward Asheville. Go on a weekday and you will have it to yourself.',
    [35.63, -82.31], 122),
  asheville('reddit', 'weird-asheville-bucket-list', 'Weird Asheville bucket list',
    'The Friday drum circle, the pinball museum, a shop that sells nothing but hot sauce, and an alley covered in local murals.',
    [35.5955, -82.551], 64),
  asheville('reddit', 'weaverville-tube-float', 'Anyone tried the tube float out of Weaverville?',
    'Quieter than the river tubing in town: a farm lets you park for a few dollars and the float takes about two hours.',
    [35.6971, -82.5607], 18),
  asheville('eventbrite', 'old-time-fiddle-workshop', 'Old-Time Fiddle Workshop for Beginners',
    'Learn three Appalachian fiddle tunes by ear in a small group. Loaner fiddles available; no reading music needed.',
    [35.5968, -82.55]),
  asheville('eventbrite', 'blue-ridge-mushroom-walk', 'Foraging Walk: Mushrooms of the Blue Ridge',
    'A slow two-hour walk with a mycologist identifying edible and poisonous mushrooms. Nothing gets picked without the guide saying so.',
    [35.6, -82.43]),
  asheville('eventbrite', 'brevard-underground-film-night', 'Underground Film Night in Brevard',
    'Short films by regional makers screened in a church basement, followed by a question-and-answer session with the filmmakers.',
    [35.2334, -82.7343]),

  // Portland, Oregon: inner neighborhoods, Oregon City (11 mi), Sauvie Island (12 mi), Troutdale (14 mi), Forest Grove (21 mi), the Gorge (27 mi).
  portland('serp', 'nib-and-gear-zine-library', 'Nib & Gear Zine Library',
    'A volunteer-run zine library and risograph print shop in a Southeast Portland basement: thousands of indie zines to read on the couch, free of charge.',
    [45.512, -122.654]),
  portland('serp', 'old-town-tunnels-walk', 'Old Town Tunnels Walk',
    'A lantern-lit walk through the basements under Old Town where, according to local legend, sailors were shanghaied onto ships bound for Asia.',
    [45.524, -122.671]),
  portland('serp', 'forest-grove-cider-barn', 'Forest Grove Cider Barn',
    'A family orchard west of the city pressing cider from heirloom apples, with tastings in a barn warmed by a wood stove.',
    [45.5198, -123.1107]),
  portland('serp', 'gorge-waterfall-corridor', 'Gorge Waterfall Corridor',
    'A string of waterfalls along the old highway east of Troutdale. Start early: the parking lots fill by nine on weekends.',
    [45.5762, -122.1158]),
  portland('reddit', 'weirdest-museum', 'Portland\'s weirdest museum?',
    'There is a tiny museum of vintage vacuum cleaners in a Southeast Portland house, and a secret staircase garden in the West Hills. Both free, both gloriously weird.',
    [45.505, -122.64], 412),
  portland('reddit', 'dive-bars-not-on-a-list', 'Dive bars in Portland that are not on any list',
    'A karaoke dive with a taxidermied bear, a bowling-alley lounge in Northeast, and a tiki hole-in-the-wall with a parrot named Gus. Cash only.',
    [45.55, -122.66], 178),
  portland('reddit', 'sauvie-island-off-season', 'Sauvie Island in the off season',
    'The u-pick fields are closed, but the beach road, the bird refuge and the farm stand selling hand pies are wonderful in October.',
    [45.65, -122.83], 56),
  portland('reddit', 'oregon-city-elevator', 'The Oregon City municipal elevator, underrated?',
    'A free public elevator lifts you up the bluff to a viewing deck over the falls and the old mills. Oddly lovely, and nobody is ever there.',
    [45.3573, -122.6068], 97),
  portland('eventbrite', 'indie-makers-night-market', 'Indie Makers Night Market',
    'Fifty local makers under string lights: ceramics, letterpress, hot sauce and vintage clothes, with food carts on site.',
    [45.522, -122.656]),
  portland('eventbrite', 'hidden-staircases-bike-tour', 'Bike Tour: Portland\'s Hidden Staircases',
    'A guided ride, with some walking, up the forgotten public staircases of the West Hills, stopping at viewpoints over the city.',
    [45.513, -122.69]),
  portland('eventbrite', 'riverside-stargazing', 'Riverside Stargazing with the Astronomy Club',
    'Telescopes set up on a river beach near Troutdale, with volunteers pointing out planets, double stars and galaxies.',
    [45.5393, -122.3873]),

  // Atlanta, Georgia: intown, Decatur (6 mi), Stone Mountain (13 mi), Marietta (17 mi), Roswell (19 mi), Senoia (32 mi).
  atlanta('serp', 'spray-tunnel-gallery', 'Spray Tunnel Gallery',
    'A graffiti-covered underpass between two Atlanta neighborhoods, repainted almost weekly. The best free street art in the city.',
    [33.755, -84.364]),
  atlanta('serp', 'buford-highway-noodle-crawl', 'Buford Highway Noodle Crawl',
    'Miles of immigrant-run restaurants along Buford Highway: hand-pulled noodles, Salvadoran bakeries and Vietnamese pho counters in strip malls.',
    [33.85, -84.33]),
  atlanta('serp', 'decatur-cemetery-nature-walk', 'Decatur Cemetery Nature Walk',
    'A shady historic cemetery east of the city with a pond and old oaks, and a local birding group walking it on Sunday mornings.',
    [33.78, -84.29]),
  atlanta('serp', 'senoia-film-sites', 'Senoia Main Street Film Sites',
    'A small town south of the city where much of a zombie television series was filmed. A shop on Main Street sells maps of the sets.',
    [33.3029, -84.5541]),
  atlanta('reddit', 'atlanta-hidden-gems-thread', 'Atlanta hidden gems thread',
    'A secret rooftop garden above a Midtown parking deck, a record store in the back of a barbershop, and the dive bar with the best wings in Atlanta. Locals only, do not tell.',
    [33.78, -84.385], 530),
  atlanta('reddit', 'skyline-without-crowds', 'Where to see the skyline without the crowds?',
    'A quiet footbridge on the less-travelled western stretch of the trail gives you the whole Atlanta skyline at sunset.',
    [33.74, -84.42], 91),
  atlanta('reddit', 'roswell-mill-ruins', 'Roswell mill ruins, worth it?',
    'Yes: a short trail down to the ruins of a Civil War-era mill and a covered bridge over the creek, about twenty miles north.',
    [34.01, -84.355], 44),
  atlanta('reddit', 'quirky-marietta', 'Quirky things to do in Marietta',
    'A giant steel chicken sign that is a local landmark, an antique arcade, and an aviation museum in an old hangar.',
    [33.9526, -84.5499], 120),
  atlanta('eventbrite', 'underground-jazz-sessions', 'Underground Jazz Sessions',
    'Late-night jazz in a brick basement downtown. The house band plays until two and sit-ins are welcome.',
    [33.753, -84.391]),
  atlanta('eventbrite', 'stone-mountain-sunrise-hike', 'Stone Mountain Sunrise Hike',
    'A guided hike up the granite dome to catch the sunrise, with coffee waiting at the top.',
    [33.8082, -84.1702]),
  atlanta('eventbrite', 'sweet-auburn-food-history-walk', 'Sweet Auburn Food and History Walk',
    'A walking tour of the Sweet Auburn district and its soul food kitchens, led by a neighborhood historian.',
    [33.755, -84.376]),

  // New Orleans, Louisiana: the Quarter to the Bywater, Metairie (5 mi), Chalmette (6 mi), Lafitte (20 mi), Slidell (29 mi).
  newOrleans('serp', 'frenchmen-back-room-jazz', 'Frenchmen Street Back-Room Jazz',
    'Skip Bourbon Street: the small clubs on Frenchmen play brass and traditional jazz all night, and one back room in New Orleans has no cover before nine.',
    [29.964, -90.057]),
  newOrleans('serp', 'bywater-junk-art-yard', 'Bywater Junk Art Yard',
    'A quirky artist\'s yard in the Bywater packed with sculptures made of salvaged doors, bottles and retired parade floats.',
    [29.963, -90.038]),
  newOrleans('serp', 'lafitte-swamp-landing', 'Lafitte Swamp Boat Landing',
    'Small-boat swamp tours from the fishing village of Lafitte, far from the tour buses: alligators, herons and cypress knees.',
    [29.6649, -90.1087]),
  newOrleans('serp', 'slidell-swamp-boardwalk', 'Slidell Swamp Boardwalk',
    'A boardwalk loop through the swamp forest east of Slidell. Look for turtles on the logs and wild iris in spring.',
    [30.2752, -89.7812]),
  newOrleans('reddit', 'po-boy-that-isnt-famous', 'NOLA locals: best po-boy that is not famous?',
    'A corner store in the Seventh Ward makes a roast beef po-boy dripping with debris gravy. Hidden gem, cash only, closes when the bread runs out.',
    [29.972, -90.06], 388),
  newOrleans('reddit', 'marigny-secret-garden', 'Secret garden in the Marigny',
    'A community garden behind a wrought-iron gate on a side street, open on weekend mornings. Bring a coffee and sit by the fig tree.',
    [29.965, -90.052], 152),
  newOrleans('reddit', 'chalmette-battlefield-sunrise', 'Chalmette battlefield at sunrise',
    'The 1815 battlefield downriver is empty at dawn. Walk up the levee to the river for the light on the water.',
    [29.9427, -89.9634], 47),
  newOrleans('reddit', 'jukebox-dive-bars', 'Dive bars with a jukebox worth the trip',
    'An Irish Channel dive with a jukebox full of local rhythm and blues, and a Mid-City bar where the bartender makes her own hot sauce.',
    [29.925, -90.08], 109),
  newOrleans('eventbrite', 'second-line-dance-workshop', 'Second Line Dance Workshop',
    'Learn the footwork of a New Orleans second line from a social aid and pleasure club member, with a live brass band.',
    [29.96, -90.065]),
  newOrleans('eventbrite', 'cemetery-stories-tour', 'Cemetery Stories Walking Tour',
    'An above-ground cemetery with a local historian: family tombs, legends and the burial customs of the city.',
    [29.959, -90.071]),
  newOrleans('eventbrite', 'bayou-paddle-at-dusk', 'Bayou Paddle at Dusk',
    'A guided kayak paddle on a quiet bayou in Metairie as the herons come in to roost and the city lights come on.',
    [29.9841, -90.1529]),

  // Austin, Texas: central and east Austin, Round Rock (17 mi), Dripping Springs (21 mi), Lockhart (27 mi), Bastrop (28 mi).
  austin('serp', 'backyard-junk-castle', 'Backyard Junk Castle',
    'A towering, quirky sculpture of bicycles, hubcaps and old televisions in a South Austin backyard. Call ahead and the owner will show you around.',
    [30.215, -97.78]),
  austin('serp', 'lockhart-brisket-row', 'Lockhart Brisket Row',
    'A Texas barbecue town thirty miles south: smoked brisket and sausage served on butcher paper from century-old pits.',
    [29.8849, -97.67]),
  austin('serp', 'limestone-grotto-swimming-hole', 'Limestone Grotto Swimming Hole',
    'A collapsed limestone grotto with a waterfall past Dripping Springs. Reservations needed in summer.',
    [30.1902, -98.0867]),
  austin('serp', 'east-austin-mural-walk', 'East Austin Mural Walk',
    'A self-guided walk past dozens of murals painted on taquerias, tire shops and warehouses.',
    [30.262, -97.722]),
  austin('reddit', 'hidden-gems-that-survived', 'Austin hidden gems that survived the boom',
    'An old icehouse with ping-pong and cheap beer, a secret swimming spot on the greenbelt, and a honky-tonk where couples two-step every Sunday. Still local, still weird.',
    [30.25, -97.77], 467),
  austin('reddit', 'bat-watching-without-crowd', 'Best bat-watching spot without the crowd',
    'Everyone stands on the bridge. Locals watch the bats from a kayak on the lake below, or from a quiet bank east of downtown.',
    [30.261, -97.745], 233),
  austin('reddit', 'bastrop-lost-pines', 'Weekend trip: Bastrop and the Lost Pines',
    'An island of loblolly pines in the middle of Texas, with good camping and a small-town Main Street.',
    [30.1105, -97.3153], 52),
  austin('reddit', 'round-rock-donuts', 'Round Rock donuts worth the drive?',
    'The glazed donuts are an institution and the line moves fast. The old stagecoach inn nearby is worth a look too.',
    [30.5083, -97.6789], 75),
  austin('eventbrite', 'indie-songwriter-night', 'Indie Songwriter Night at the Listening Room',
    'Four songwriters trade songs in the round in a tiny room with a strict no-talking rule.',
    [30.27, -97.75]),
  austin('eventbrite', 'hill-country-wildflower-walk', 'Hill Country Wildflower Photo Walk',
    'A slow morning walk through bluebonnet fields with a photographer. Bring any camera, or just a phone.',
    [30.1902, -98.0867]),
  austin('eventbrite', 'vintage-vinyl-swap', 'Vintage Vinyl Swap',
    'Collectors trade records from crates in an East Austin brewery lot while local DJs spin all afternoon.',
    [30.264, -97.728]),
];
